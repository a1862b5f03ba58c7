import { useMemo, useRef } from 'react';
import { DEFAULT_BUSY_THRESHOLD_CORES, NOISE_SERIES } from '../../shared/noise.js';
import { busyBands } from '../../shared/noise-verdict.js';
import type { SeriesSource } from '../runs/series-source.js';
import type { ChartBand, ChartDefinition } from './chart-definition.js';
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

/** The stretches when other processes kept the machine busy; the same array while they stay the same. */
function useBusyBands(source: SeriesSource, version: number, thresholdCores: number): readonly ChartBand[] {
  const previous = useRef<{ key: string; bands: ChartBand[] }>(undefined);
  return useMemo(() => {
    const bands = busyBands(source.series(NOISE_SERIES.othersCores), thresholdCores).map((band) => ({
      x1: band.fromMs / 1000,
      x2: band.toMs / 1000,
      peakCores: band.peakCores,
    }));
    const key = JSON.stringify(bands);
    if (previous.current?.key !== key) previous.current = { key, bands };
    return previous.current.bands;
    // version stands for the source's contents, which mutate in place.
  }, [source, version, thresholdCores]);
}

/**
 * A run's charts: its kind's set, or another set drawn from the same run (the runtime panel's, per process).
 * Every chart shades the stretches when other processes kept the machine busy (the run's noise.othersCores).
 */
export function RunCharts({
  kind,
  set: givenSet,
  source,
  version,
  busyThresholdCores = DEFAULT_BUSY_THRESHOLD_CORES,
}: {
  kind: string;
  set?: ChartSet;
  source: SeriesSource;
  version: number;
  /** A saved run's threshold (its noise verdict's); live runs use the default. */
  busyThresholdCores?: number;
}) {
  // chartSetFor builds a new object for plain chart lists; one per kind keeps the charts from redrawing every render.
  const set = useMemo(() => givenSet ?? chartSetFor(kind), [givenSet, kind]);
  const derived = useMemo(() => set.derive?.(source) ?? source, [set, source]);
  const definitions = useStableDefinitions(set, derived, version);
  const eventCount = derived.events?.length ?? 0;
  const markers = useMemo(() => markersOf(set, derived.events), [set, derived, eventCount]);
  const bands = useBusyBands(source, version, busyThresholdCores);
  if (definitions.length === 0) return <p className="muted">This run recorded no time series.</p>;
  return (
    <div className="chart-grid">
      {definitions.map((definition) => (
        <TimeSeriesChart key={definition.id} source={derived} version={version} definition={definition} markers={markers} bands={bands} />
      ))}
    </div>
  );
}
