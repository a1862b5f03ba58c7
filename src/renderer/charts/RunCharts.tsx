import { useMemo, useRef } from 'react';
import type { SeriesSource } from '../runs/series-source.js';
import type { ChartDefinition } from './chart-definition.js';
import { chartSetFor, chartsOf, markersOf, type ChartSet } from './chart-sets.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

/**
 * A set's charts may depend on what the run has recorded so far (one line
 * per worker); they keep their identity while they stay the same, so a chart
 * redraws for new points only.
 */
function useStableDefinitions(set: ChartSet, source: SeriesSource, version: number): ChartDefinition[] {
  const previous = useRef<{ key: string; definitions: ChartDefinition[] }>(undefined);
  return useMemo(() => {
    const definitions = chartsOf(set, source);
    const key = JSON.stringify(definitions);
    if (previous.current?.key !== key) previous.current = { key, definitions };
    return previous.current.definitions;
    // version stands for the source's contents, which mutate in place.
  }, [set, source, version]);
}

/** A run's charts: its kind's set, or another set drawn from the same run (the runtime panel's, per process). */
export function RunCharts({ kind, set: givenSet, source, version }: { kind: string; set?: ChartSet; source: SeriesSource; version: number }) {
  // chartSetFor builds a new object for plain chart lists; one per kind keeps the charts from redrawing every render.
  const set = useMemo(() => givenSet ?? chartSetFor(kind), [givenSet, kind]);
  const derived = useMemo(() => set.derive?.(source) ?? source, [set, source]);
  const definitions = useStableDefinitions(set, derived, version);
  const eventCount = derived.events?.length ?? 0;
  const markers = useMemo(() => markersOf(set, derived.events), [set, derived, eventCount]);
  if (definitions.length === 0) return <p className="muted">This run recorded no time series.</p>;
  return (
    <div className="chart-grid">
      {definitions.map((definition) => (
        <TimeSeriesChart key={definition.id} source={derived} version={version} definition={definition} markers={markers} />
      ))}
    </div>
  );
}
