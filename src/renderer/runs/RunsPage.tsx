import { Fragment, useEffect, useMemo, useState } from 'react';
import type { RunListItem } from '../../shared/run-record.js';
import type { PageProps } from '../app/pages.js';
import { href, navigate } from '../app/router.js';
import { useServices } from '../app/services.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { NoiseBadge } from '../components/NoiseBadge.js';
import { ImportButton } from '../studies/ImportButton.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatDuration, formatMetric, formatTimestamp } from '../format.js';
import { headlineName } from '../../shared/headline-names.js';
import { RunPage } from './RunPage.js';
import { comparePair, listRows, settingsBesideName } from './run-list-rows.js';
import './runs-list.css';

/** Runs listed at first, and added by "Show more": a data directory can hold years of runs. */
const RUNS_PAGE = 200;

export function RunsPage(props: PageProps) {
  const runId = props.route.params[0];
  return runId ? <RunPage runId={runId} /> : <RunsList />;
}

function RunsList() {
  const { client } = useServices();
  const [shown, setShown] = useState(RUNS_PAGE);
  const [kind, setKind] = useState('');
  const [text, setText] = useState('');
  const [grouped, setGrouped] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  /** Up to two runs ticked for Compare, oldest tick first; kept while filters hide them. */
  const [selected, setSelected] = useState<RunListItem[]>([]);
  const kinds = useCall('app.info', {}).data?.kinds ?? [];
  // Filtered by the engine, so a long list is narrowed before it is paged; the list shown stays while more are fetched.
  const request = { limit: shown, ...(kind ? { kind } : {}), ...(text.trim() ? { text: text.trim() } : {}) };
  const { data, error, reload } = useCall('runs.list', request, { keepPrevious: true });
  const runs = data?.runs;
  const total = data?.total ?? 0;
  const warnings = data?.warnings ?? [];
  const filtered = Boolean(kind || text.trim());

  // A run that ends while the list is open appears without a manual refresh.
  useEffect(
    () =>
      client.on('run.status', (update) => {
        if (update.status !== 'running') reload();
      }),
    [client, reload],
  );

  const toggle = (run: RunListItem) =>
    setSelected((current) => (current.some((r) => r.id === run.id) ? current.filter((r) => r.id !== run.id) : [...current, run].slice(-2)));
  const pair = comparePair(selected);
  const compare = () => {
    if (pair.ok) navigate(`/compare?baseline=${encodeURIComponent(pair.baseline.id)}&candidate=${encodeURIComponent(pair.candidate.id)}`);
  };
  const rows = useMemo(() => (runs ? listRows(runs, grouped) : []), [runs, grouped]);
  const toggleGroup = (sweepId: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(sweepId)) next.delete(sweepId);
      else next.add(sweepId);
      return next;
    });

  const runRow = (run: RunListItem, inGroup: boolean) => {
    const checked = selected.some((r) => r.id === run.id);
    return (
      <tr key={run.id} className={inGroup ? 'run-in-group' : undefined}>
        <td className="select-cell">
          <input type="checkbox" aria-label={`Select ${run.name || run.id} for Compare`} checked={checked} onChange={() => toggle(run)} />
        </td>
        <td className="run-name">
          <a href={href(`/runs/${encodeURIComponent(run.id)}`)}>{run.name || run.id}</a>
          {inGroup && run.point !== undefined && <span className="muted"> · point {run.point}</span>}
        </td>
        <td>{run.kind}</td>
        <td className="run-settings">{settingsBesideName(run) ?? <span className="muted" title="The name says these settings">—</span>}</td>
        <td className="nowrap">
          <StatusBadge status={run.status} /> <NoiseBadge noise={run.noise} compact />
        </td>
        <td className="nowrap">{formatTimestamp(run.startedAt)}</td>
        <td className="num nowrap">{formatDuration(run.durationMs)}</td>
        <td>
          {/* A flex box inside the cell, not the cell itself: a flex <td> leaves the table and misaligns its row's borders. */}
          <div className="headline">
            {Object.entries(run.headline).map(([key, metric]) => (
              <span key={key} className="headline-metric">
                <span className="headline-label" title={metric.label}>
                  {headlineName(key, metric.label)}
                </span> {formatMetric(metric)}
              </span>
            ))}
          </div>
        </td>
      </tr>
    );
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Runs</h1>
        <p className="page-intro">
          Every saved run, newest first. Open one to see its charts, rerun it, or edit its spec; tick two to compare them.
        </p>
        <ImportButton onImported={reload} />
      </header>
      {error && <ErrorNote error={error} title="Could not list runs" />}
      {warnings.map((warning) => (
        <div key={warning} className="warning" role="status">
          {warning}
        </div>
      ))}
      <div className="runs-toolbar" role="search" aria-label="Filter runs">
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Kind">
            <option value="">All kinds</option>
            {kinds.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          value={text}
          placeholder="Name, id, settings or sweep"
          aria-label="Filter by name, id, settings or sweep"
          onChange={(e) => setText(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} /> Group by sweep
        </label>
        <span className="runs-compare">
          <button type="button" disabled={!pair.ok} onClick={compare} title={pair.ok ? undefined : pair.why}>
            Compare{selected.length ? ` (${selected.length} of 2)` : ''}
          </button>
          {!pair.ok && selected.length > 0 && <span className="muted"> {pair.why}</span>}
        </span>
      </div>
      {runs && runs.length === 0 && (
        <p className="muted">{filtered ? 'No run matches these filters.' : 'No runs yet. Start one from an experiment page.'}</p>
      )}
      {runs && runs.length > 0 && (
        <table className="data-table runs-table" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Settings</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">Headline</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              if (row.type === 'run') return runRow(row.run, false);
              const expanded = open.has(row.sweepId);
              return (
                <Fragment key={`sweep-${row.sweepId}`}>
                  <tr className="sweep-group">
                    <td colSpan={8}>
                      <button type="button" className="link-button" aria-expanded={expanded} onClick={() => toggleGroup(row.sweepId)}>
                        {expanded ? '▾' : '▸'} Sweep {row.sweepId}
                      </button>{' '}
                      <span className="muted">
                        {row.runs.length} run(s) · {row.runs[0]!.kind} ·{' '}
                        <a href={href(`/sweeps/${encodeURIComponent(row.sweepId)}`)}>open the sweep</a>
                      </span>
                    </td>
                  </tr>
                  {expanded && row.runs.map((run) => runRow(run, true))}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {runs && total > runs.length && (
        <p className="muted">
          Showing the newest {runs.length} of {total} {filtered ? 'matching ' : ''}runs.{' '}
          <button type="button" onClick={() => setShown((count) => count + RUNS_PAGE)}>
            Show {Math.min(RUNS_PAGE, total - runs.length)} more
          </button>
        </p>
      )}
    </div>
  );
}
