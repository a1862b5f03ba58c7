import { useEffect, useMemo, useState } from 'react';
import type { PageProps } from '../app/pages.js';
import { href } from '../app/router.js';
import { useLiveRunsVersion, useServices } from '../app/services.js';
import { RunCharts } from '../charts/RunCharts.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { RecordTableView } from '../components/RecordTableView.js';
import { recordTablePresentation } from '../components/record-tables.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { ConnectionPanel } from '../db/ConnectionPanel.js';
import { defaultDbForm, formFromSpec, specFromForm, type DbForm } from '../db/db-form.js';
import { DbFormView } from '../db/DbFormView.js';
import { useLiveRunTables } from '../db/use-run-tables.js';
import { SweepButton } from '../experiments/SweepButton.js';
import { formatDuration } from '../format.js';
import { RecordSeriesSource } from '../runs/series-source.js';
import { useRunRecord } from '../runs/use-run-record.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';
import { HEADER_VIEW } from '../runs/run-views.js';

/** What the user typed survives a visit to another page. */
const draft: { form: DbForm; rerunOf: string | undefined } = { form: defaultDbForm(), rerunOf: undefined };

export function DbPage({ route }: PageProps) {
  const { client, liveRuns } = useServices();
  const liveVersion = useLiveRunsVersion();
  const [form, setFormState] = useState(draft.form);
  const [rerunOf, setRerunOfState] = useState(draft.rerunOf);
  const [runId, setRunId] = useState(() => liveRuns.latest('db')?.runId);
  const [pending, setPending] = useState<'start' | 'stop' | undefined>();
  const [actionError, setActionError] = useState<{ code?: string; message: string }>();
  const prefillFrom = route.query.get('from') ?? undefined;

  const setForm = (next: DbForm) => {
    draft.form = next;
    setFormState(next);
  };
  const setRerunOf = (next: string | undefined) => {
    draft.rerunOf = next;
    setRerunOfState(next);
  };

  useEffect(() => {
    if (!prefillFrom) return;
    let current = true;
    client.call('runs.get', { runId: prefillFrom, display: HEADER_VIEW }).then(
      ({ run }) => {
        if (!current) return;
        setForm(formFromSpec(run.spec));
        setRerunOf(run.id);
      },
      (thrown: unknown) => current && setActionError(errorOf(thrown)),
    );
    return () => {
      current = false;
    };
  }, [client, prefillFrom]);

  const { spec, errors, valid } = useMemo(() => specFromForm(form), [form]);
  const live = runId ? liveRuns.get(runId) : undefined;
  const running = live?.status === 'running';
  const finished = live !== undefined && !running;
  const { record, error: recordError } = useRunRecord(finished ? runId : undefined);
  const liveTables = useLiveRunTables(runId, running);
  const tables = record?.tables ?? liveTables;

  const start = async () => {
    if (!valid) return;
    setPending('start');
    setActionError(undefined);
    try {
      const started = await client.call('runs.start', { spec, ...(rerunOf ? { rerunOf } : {}) });
      liveRuns.follow(started.runId);
      setRunId(started.runId);
    } catch (thrown) {
      setActionError(errorOf(thrown));
    } finally {
      setPending(undefined);
    }
  };

  const stop = async () => {
    if (!runId) return;
    setPending('stop');
    try {
      await client.call('runs.stop', { runId });
    } catch (thrown) {
      setActionError(errorOf(thrown));
    } finally {
      setPending(undefined);
    }
  };

  const chartSource = useMemo(() => (record ? new RecordSeriesSource(record) : live), [record, live]);
  const status = record?.status ?? live?.status;
  const runError = record?.error ?? live?.error;
  const formErrorText = Object.entries(errors)
    .filter(([path]) => !/^(workload\.|pool\.|name$|concurrency$|durationSec$|operations$|slowQueryMs$|seed$)/.test(path))
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');

  return (
    <div className="page">
      <header className="page-header">
        <h1>Database</h1>
        <p className="page-intro">
          Tune a node-postgres pool against real PostgreSQL: throughput, latency, pool clients, acquire wait and per-query statistics.
        </p>
      </header>

      <section className="panel" aria-label="Experiment">
        <ConnectionPanel target={form.target} disabled={running} onChange={(target) => setForm({ ...form, target })} />
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
          noValidate
        >
          <DbFormView form={form} errors={errors} disabled={running || pending === 'start'} onChange={setForm} />
          {formErrorText && <ErrorNote error={{ message: formErrorText }} title="Spec" />}
          <div className="actions">
            <button type="submit" className="primary" disabled={!valid || running || pending !== undefined}>
              Run
            </button>
            <button type="button" onClick={() => void stop()} disabled={!running || pending !== undefined}>
              Stop
            </button>
            <SweepButton spec={spec} page="Database" disabled={!valid} />
            {rerunOf && (
              <span className="muted">
                Editing a rerun of <a href={href(`/runs/${rerunOf}`)}>{rerunOf}</a>{' '}
                <button type="button" className="link" onClick={() => setRerunOf(undefined)}>
                  start fresh
                </button>
              </span>
            )}
          </div>
        </form>
        {actionError && <ErrorNote error={actionError} />}
      </section>

      {live && chartSource && (
        <section className="panel" aria-label="Current run">
          <div className="run-heading">
            <h2>{live.name || live.runId}</h2>
            {status && <StatusBadge status={status} />}
            <span className="muted">{formatDuration(record?.durationMs ?? live.elapsedMs)}</span>
            {finished && (
              <a className="run-link" href={href(`/runs/${live.runId}`)}>
                Open saved run
              </a>
            )}
          </div>
          {live.progress && <ProgressBar done={live.progress.done} total={live.progress.total} />}
          {runError && <ErrorNote error={runError} title={status === 'failed' ? 'Run failed' : 'Run error'} />}
          {recordError && <ErrorNote error={recordError} title="Could not load the saved run" />}
          <RunCharts kind="db" source={chartSource} version={record ? 0 : liveVersion} />
          <RecordTableView table={tables?.queryStats} {...recordTablePresentation('queryStats')} />
          {tables?.cases && <RecordTableView table={tables.cases} {...recordTablePresentation('cases')} />}
          {tables?.pgStatStatements && (
            <RecordTableView table={tables.pgStatStatements} {...recordTablePresentation('pgStatStatements')} />
          )}
          <div className="result-columns">
            {record ? (
              <SummaryTable summary={record.summary} caption="Summary" />
            ) : (
              <SummaryTable summary={live.summary} caption="Live summary" />
            )}
            <RecordTableView table={tables?.slowQueries} {...recordTablePresentation('slowQueries')} />
          </div>
          {tables?.errors && <RecordTableView table={tables.errors} {...recordTablePresentation('errors')} />}
          <RuntimePanel kind="db" source={chartSource} version={record ? 0 : liveVersion} />
        </section>
      )}
    </div>
  );
}
