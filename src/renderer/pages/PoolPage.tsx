import { useEffect, useMemo, useState } from 'react';
import type { PageProps } from '../app/pages.js';
import { href } from '../app/router.js';
import { useLiveRunsVersion, useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { EventsList, problemEvents } from '../components/EventsList.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { RunCharts } from '../charts/RunCharts.js';
import { SweepButton } from '../experiments/SweepButton.js';
import { formatDuration } from '../format.js';
import { defaultPoolForm, formFromSpec, specFromForm, type PoolForm } from '../pool/pool-form.js';
import { PoolFormView } from '../pool/PoolFormView.js';
import { RecordSeriesSource } from '../runs/series-source.js';
import { useRunRecord } from '../runs/use-run-record.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';
import { HEADER_VIEW } from '../runs/run-views.js';

/** What the user typed survives a visit to another page. */
const draft: { form: PoolForm; rerunOf: string | undefined } = { form: defaultPoolForm(), rerunOf: undefined };

export function PoolPage({ route }: PageProps) {
  const { client, liveRuns } = useServices();
  const liveVersion = useLiveRunsVersion();
  const [form, setFormState] = useState(draft.form);
  const [rerunOf, setRerunOfState] = useState(draft.rerunOf);
  const [runId, setRunId] = useState(() => liveRuns.latest('pool')?.runId);
  const [pending, setPending] = useState<'start' | 'stop' | undefined>();
  const [actionError, setActionError] = useState<{ code?: string; message: string }>();
  const prefillFrom = route.query.get('from') ?? undefined;

  const setForm = (next: PoolForm) => {
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

  return (
    <div className="page">
      <header className="page-header">
        <h1>Pool</h1>
        <p className="page-intro">Run a CPU task many times on a worker-thread pool and watch throughput, latency and the main thread.</p>
      </header>

      <section className="panel" aria-label="Experiment">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
          noValidate
        >
          <PoolFormView form={form} errors={errors} disabled={running || pending === 'start'} onChange={setForm} />
          {errors.form && <ErrorNote error={{ message: errors.form }} title="Spec" />}
          <div className="actions">
            <button type="submit" className="primary" disabled={!valid || running || pending !== undefined}>
              Run
            </button>
            <button type="button" onClick={() => void stop()} disabled={!running || pending !== undefined}>
              Stop
            </button>
            <SweepButton spec={spec} page="Pool" disabled={!valid} />
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
          <RunCharts kind="pool" source={chartSource} version={record ? 0 : liveVersion} />
          <div className="result-columns">
            {record ? (
              <SummaryTable summary={record.summary} caption="Summary" />
            ) : (
              <SummaryTable summary={live.summary} caption="Live summary" />
            )}
            <EventsList
              title="Job failures"
              events={problemEvents(record?.events ?? live.events)}
            />
          </div>
          <RuntimePanel kind="pool" source={chartSource} version={record ? 0 : liveVersion} />
        </section>
      )}
    </div>
  );
}
