import { useMemo, useRef } from 'react';
import type { SeriesSource } from '../runs/series-source.js';
import type { ChartDefinition } from './chart-definition.js';
import { chartSetFor, chartsFor, markersFor } from './chart-sets.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

/**
 * A kind's charts may depend on what the run has recorded so far (one line
 * per worker); they keep their identity while they stay the same, so a chart
 * redraws for new points only.
 */
function useStableDefinitions(kind: string, source: SeriesSource, version: number): ChartDefinition[] {
  const previous = useRef<{ key: string; definitions: ChartDefinition[] }>(undefined);
  return useMemo(() => {
    const definitions = chartsFor(kind, source);
    const key = JSON.stringify(definitions);
    if (previous.current?.key !== key) previous.current = { key, definitions };
    return previous.current.definitions;
    // version stands for the source's contents, which mutate in place.
  }, [kind, source, version]);
}

export function RunCharts({ kind, source, version }: { kind: string; source: SeriesSource; version: number }) {
  const derived = useMemo(() => chartSetFor(kind).derive?.(source) ?? source, [kind, source]);
  const definitions = useStableDefinitions(kind, derived, version);
  const eventCount = derived.events?.length ?? 0;
  const markers = useMemo(() => markersFor(kind, derived.events), [kind, derived, eventCount]);
  if (definitions.length === 0) return <p className="muted">This run recorded no time series.</p>;
  return (
    <div className="chart-grid">
      {definitions.map((definition) => (
        <TimeSeriesChart key={definition.id} source={derived} version={version} definition={definition} markers={markers} />
      ))}
    </div>
  );
}
