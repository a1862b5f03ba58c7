import type { SeriesSource } from '../runs/series-source.js';
import { chartsFor } from './chart-sets.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

export function RunCharts({ kind, source, version }: { kind: string; source: SeriesSource; version: number }) {
  const definitions = chartsFor(kind, source);
  if (definitions.length === 0) return <p className="muted">This run recorded no time series.</p>;
  return (
    <div className="chart-grid">
      {definitions.map((definition) => (
        <TimeSeriesChart key={definition.id} source={source} version={version} definition={definition} />
      ))}
    </div>
  );
}
