import type { MetricValue } from '../../shared/metrics.js';
import { displayUnit, displayValue, formatNumber } from '../format.js';
import { groupSummary, type SummaryRow } from './summary-groups.js';

/**
 * A run's summary. With a kind that groups its metrics (load: requests,
 * latency, errors, each worker process; memory: the scenario, the leak
 * detector, the sandbox process), one table per group side by side across the
 * width under one heading; otherwise one table.
 */
export function SummaryTable({ summary, caption = 'Summary', kind }: { summary: Record<string, MetricValue>; caption?: string; kind?: string }) {
  const groups = groupSummary(kind, summary);
  if (groups.length === 0) return <p className="muted">No summary values.</p>;
  if (groups.length === 1) return <MetricTable rows={groups[0]!.rows} caption={caption} />;
  return (
    <section className="summary-groups" aria-label={caption}>
      <h3>{caption}</h3>
      <div className="summary-grid">
        {groups.map((group) => (
          <MetricTable key={group.title} rows={group.rows} caption={group.title} />
        ))}
      </div>
    </section>
  );
}

function MetricTable({ rows, caption }: { rows: SummaryRow[]; caption: string }) {
  return (
    <table className="data-table summary-table" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" className="num">
            Value
          </th>
          <th scope="col">Unit</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, label, metric }) => (
          <tr key={key} data-metric={key}>
            <th scope="row" title={key}>
              {label}
            </th>
            <td className="num">{formatNumber(displayValue(metric.value, metric.unit))}</td>
            <td>{displayUnit(metric.unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
