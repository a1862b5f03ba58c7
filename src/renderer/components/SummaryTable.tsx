import type { MetricValue } from '../../shared/metrics.js';
import { displayUnit, displayValue, formatNumber, humanize } from '../format.js';

export function SummaryTable({ summary, caption = 'Summary' }: { summary: Record<string, MetricValue>; caption?: string }) {
  const entries = Object.entries(summary);
  if (entries.length === 0) return <p className="muted">No summary values.</p>;
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
        {entries.map(([key, metric]) => (
          <tr key={key} data-metric={key}>
            <th scope="row" title={key}>
              {metric.label ?? humanize(key)}
            </th>
            <td className="num">{formatNumber(displayValue(metric.value, metric.unit))}</td>
            <td>{displayUnit(metric.unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
