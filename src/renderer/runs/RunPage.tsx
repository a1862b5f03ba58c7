import { useMemo, useState } from 'react';
import type { CallRequest } from '../../shared/contract.js';
import type { RunRecord } from '../../shared/run-record.js';
import { pageForKind } from '../app/pages.js';
import { href, navigate } from '../app/router.js';
import { useServices } from '../app/services.js';
import { useAction } from '../app/use-action.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { ExportButtons } from '../studies/ExportButtons.js';
import { downloadFile } from '../studies/download.js';
import { EventsList } from '../components/EventsList.js';
import { NoiseBadge } from '../components/NoiseBadge.js';
import { RecordTables } from '../components/RecordTables.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { SummaryTable } from '../components/SummaryTable.js';
import { QueryPlans } from '../db/QueryPlans.js';

/** Kinds whose summary comes in groups across the width: the events go below it instead of beside it. */
const groupedSummaryKinds = new Set(['load', 'memory']);
import { formatDuration, formatTimestamp } from '../format.js';
import { describeMachine } from '../../shared/noise-verdict.js';
import { FindingsAndCharts } from './FindingsPanel.js';
import { RecordSeriesSource } from './series-source.js';
import { useRunRecord } from './use-run-record.js';
import { RuntimePanel } from '../runtime/RuntimePanel.js';

export function RunPage({ runId }: { runId: string }) {
  const { record, error, loading, unsaved, reload } = useRunRecord(runId);
  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href('/runs')}>Runs</a> / <span>{runId}</span>
      </nav>
      {loading && !record && <p className="muted">Loading…</p>}
      {error && <ErrorNote error={error} title="Could not open the run" />}
      {record && unsaved && <UnsavedRun runId={record.id} reason={unsaved.reason} onSaved={reload} />}
      {record && <RunDetails record={record} />}
    </div>
  );
}

/** A finished run the data directory refused (disk full, read-only): save it again once there is room, or take it away. */
function UnsavedRun({ runId, reason, onSaved }: { runId: string; reason: string; onSaved: () => void }) {
  const { client } = useServices();
  const { busy, problem, run: act } = useAction();
  return (
    <div className="warning" role="alert">
      <strong>This run is not saved.</strong> Its record could not be written to the data directory ({reason}). It is kept in
      memory until the workbench quits: free some space and save it again, or download it (Import takes it back).{' '}
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void act(async () => {
            await client.call('runs.saveAgain', { runId });
            onSaved();
          })
        }
      >
        Save again
      </button>{' '}
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void act(async () => {
            const { run } = await client.call('runs.get', { runId });
            downloadFile({ fileName: `tunebench-run-${runId}.json`, mimeType: 'application/json', content: JSON.stringify(run) });
          })
        }
      >
        Download record
      </button>
      {problem && <ErrorNote error={problem} title="Still not saved" />}
    </div>
  );
}

function RunDetails({ record }: { record: RunRecord }) {
  const { client, liveRuns } = useServices();
  const { busy, problem: actionError, run: act } = useAction();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const source = useMemo(() => new RecordSeriesSource(record), [record]);
  const kindPage = pageForKind(record.kind);

  const rerun = () =>
    act(async () => {
      const spec = record.spec as CallRequest<'runs.start'>['spec'];
      const { runId } = await client.call('runs.start', { spec, rerunOf: record.id });
      liveRuns.follow(runId);
      navigate(kindPage ? `/${kindPage.id}` : `/runs/${runId}`);
    });

  const remove = () =>
    act(async () => {
      await client.call('runs.delete', { runId: record.id });
      navigate('/runs');
    });

  return (
    <>
      <header className="page-header">
        <div className="run-heading">
          <h1>{record.name || record.id}</h1>
          <StatusBadge status={record.status} />
          <NoiseBadge noise={record.noise} />
        </div>
        <dl className="facts">
          <dt>Kind</dt>
          <dd>{record.kind}</dd>
          <dt>Started</dt>
          <dd>{formatTimestamp(record.startedAt)}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(record.durationMs)}</dd>
          <dt>Node</dt>
          <dd>{record.environment.node}</dd>
          <dt>CPU</dt>
          <dd>
            {record.environment.cpuCount} × {record.environment.cpuModel}
          </dd>
          <dt>Machine</dt>
          <dd>{describeMachine(record.noise)}</dd>
          {record.origin?.rerunOf && (
            <>
              <dt>Rerun of</dt>
              <dd>
                <a href={href(`/runs/${encodeURIComponent(record.origin.rerunOf)}`)}>{record.origin.rerunOf}</a>
              </dd>
            </>
          )}
          {record.origin?.sweepId && (
            <>
              <dt>Sweep</dt>
              <dd>
                <a href={href(`/sweeps/${encodeURIComponent(record.origin.sweepId)}`)}>{record.origin.sweepId}</a>
                {record.origin.point !== undefined && `, point ${record.origin.point}`}
              </dd>
            </>
          )}
        </dl>
      </header>
      {record.error && (
        <ErrorNote
          error={record.error}
          title={record.status === 'failed' ? 'Run failed' : record.status === 'interrupted' ? 'Run interrupted' : 'Run error'}
        />
      )}
      {record.status === 'stopped' && !record.error && (
        <div className="warning" role="status">
          Stopped before the end: the figures cover what ran until then.
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void rerun()} disabled={busy}>
          Rerun
        </button>
        <button
          type="button"
          disabled={busy || !kindPage}
          onClick={() => navigate(`/${kindPage!.id}?from=${encodeURIComponent(record.id)}`)}
        >
          Edit and rerun
        </button>
        <button type="button" disabled={busy} onClick={() => navigate(`/sweeps/new?from=${encodeURIComponent(record.id)}`)}>
          Sweep…
        </button>
        <button type="button" disabled={busy} onClick={() => navigate(`/compare?baseline=${encodeURIComponent(record.id)}`)}>
          Compare with…
        </button>
        {confirmingDelete ? (
          <>
            <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
              Confirm delete
            </button>
            <button type="button" onClick={() => setConfirmingDelete(false)} disabled={busy}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="danger-outline" onClick={() => setConfirmingDelete(true)} disabled={busy}>
            Delete
          </button>
        )}
      </div>
      {actionError && <ErrorNote error={actionError} />}
      <ExportButtons target={{ runId: record.id }} what="run" />
      <section className="panel" aria-label="Charts">
        <FindingsAndCharts
          kind={record.kind}
          source={source}
          version={0}
          findings={record.findings}
          run={record}
          busyThresholdCores={record.noise?.thresholdCores}
        />
        <RuntimePanel kind={record.kind} source={source} version={0} summary={record.summary} />
      </section>
      <div className={groupedSummaryKinds.has(record.kind) ? 'result-rows' : 'result-columns'}>
        <section className="panel" aria-label="Result">
          <SummaryTable summary={record.summary} caption="Summary" kind={record.kind} />
        </section>
        <section className="panel">
          <EventsList events={record.events} />
        </section>
      </div>
      <RecordTables tables={record.tables} />
      {record.kind === 'db' && (
        <section className="panel" aria-label="Plans">
          <QueryPlans runId={record.id} queryStats={record.tables?.queryStats} />
        </section>
      )}
      <section className="panel" aria-label="Spec">
        <h3>Spec</h3>
        <pre className="spec">{JSON.stringify(record.spec, null, 2)}</pre>
      </section>
    </>
  );
}
