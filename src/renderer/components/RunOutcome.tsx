import type { MetricValue } from '../../shared/metrics.js';
import { headlineName } from '../../shared/headline-names.js';
import { formatMetric } from '../format.js';
import type { ExperimentRun } from '../runs/use-experiment-run.js';
import { StatusBadge } from './StatusBadge.js';

/** The numbers each kind's result is read by first (as the runs list's headline), shown beside its Run button. */
const headlineKeys: Record<string, string[]> = {
  pool: ['throughput', 'latencyP95', 'runP95', 'waitP95'],
  load: ['throughput', 'latency.p99', 'errors'],
  db: ['throughput', 'latencyP95', 'errors'],
  memory: ['leak.slopeMbPerMin', 'peakHeapUsed', 'maxEldP99'],
};
const MAX_SHOWN = 3;

function headline(kind: string, summary: Record<string, MetricValue>): Array<[string, MetricValue]> {
  return (headlineKeys[kind] ?? [])
    .filter((key) => summary[key] !== undefined)
    .slice(0, MAX_SHOWN)
    .map((key) => [key, summary[key]!]);
}

/**
 * The page's current run in one line beside its Run button, so the action and
 * its result are on screen together at 1400×900: status, how far, the
 * headline numbers, and a way down to the charts and tables.
 */
export function RunOutcome({ run }: { run: ExperimentRun }) {
  const { live, record, status } = run;
  if (!live || !status) return null;
  const kind = record?.kind ?? live.kind;
  const summary = record?.summary ?? live.summary;
  const percent = live.progress && live.progress.total > 0 ? Math.min(100, (live.progress.done / live.progress.total) * 100) : undefined;
  const numbers = headline(kind, summary);
  return (
    <div className="run-outcome" role="status" aria-label="Current run outcome">
      <StatusBadge status={status} />
      {status === 'running' && percent !== undefined && <span className="muted">{percent.toFixed(0)}%</span>}
      {numbers.map(([key, metric]) => (
        <span key={key} className="run-outcome-metric">
          <span className="muted" title={metric.label}>
            {headlineName(key, metric.label)}
          </span> <strong>{formatMetric(metric)}</strong>
        </span>
      ))}
      <button
        type="button"
        className="link"
        onClick={() => document.querySelector('[aria-label="Current run"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
      >
        Charts and tables ↓
      </button>
    </div>
  );
}
