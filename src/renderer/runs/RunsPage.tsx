import { useEffect, useState } from 'react';
import type { PageProps } from '../app/pages.js';
import { href } from '../app/router.js';
import { useServices } from '../app/services.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { NoiseBadge } from '../components/NoiseBadge.js';
import { ImportButton } from '../studies/ImportButton.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatDuration, formatMetric, formatTimestamp, humanize } from '../format.js';
import { RunPage } from './RunPage.js';

/** Runs listed at first, and added by "Show more": a data directory can hold years of runs. */
const RUNS_PAGE = 200;

export function RunsPage(props: PageProps) {
  const runId = props.route.params[0];
  return runId ? <RunPage runId={runId} /> : <RunsList />;
}

function RunsList() {
  const { client } = useServices();
  const [shown, setShown] = useState(RUNS_PAGE);
  // The list shown so far stays while more are fetched ("Show more").
  const { data, error, reload } = useCall('runs.list', { limit: shown }, { keepPrevious: true });
  const runs = data?.runs;
  const total = data?.total ?? 0;
  const warnings = data?.warnings ?? [];

  // A run that ends while the list is open appears without a manual refresh.
  useEffect(
    () =>
      client.on('run.status', (update) => {
        if (update.status !== 'running') reload();
      }),
    [client, reload],
  );

  return (
    <div className="page">
      <header className="page-header">
        <h1>Runs</h1>
        <p className="page-intro">Every saved run, newest first. Open one to see its charts, rerun it, or edit its spec.</p>
        <ImportButton onImported={reload} />
      </header>
      {error && <ErrorNote error={error} title="Could not list runs" />}
      {warnings.map((warning) => (
        <div key={warning} className="warning" role="status">
          {warning}
        </div>
      ))}
      {runs && runs.length === 0 && <p className="muted">No runs yet. Start one from an experiment page.</p>}
      {runs && runs.length > 0 && (
        <table className="data-table runs-table" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">Headline</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id}>
                <td>
                  <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>{run.name || run.id}</a>
                </td>
                <td>{run.kind}</td>
                <td className="nowrap">
                  <StatusBadge status={run.status} /> <NoiseBadge noise={run.noise} compact />
                </td>
                <td className="nowrap">{formatTimestamp(run.startedAt)}</td>
                <td className="num nowrap">{formatDuration(run.durationMs)}</td>
                <td className="headline">
                  {Object.entries(run.headline).map(([key, metric]) => (
                    <span key={key} className="headline-metric">
                      <span className="headline-label">{metric.label ?? humanize(key)}</span> {formatMetric(metric)}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs && total > runs.length && (
        <p className="muted">
          Showing the newest {runs.length} of {total} runs.{' '}
          <button type="button" onClick={() => setShown((count) => count + RUNS_PAGE)}>
            Show {Math.min(RUNS_PAGE, total - runs.length)} more
          </button>
        </p>
      )}
    </div>
  );
}
