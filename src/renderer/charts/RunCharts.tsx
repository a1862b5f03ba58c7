import { useMemo } from 'react';
import { DEFAULT_BUSY_THRESHOLD_CORES, NOISE_SERIES } from '../../shared/noise.js';
import { busyBands } from '../../shared/noise-verdict.js';
import type { SeriesSource } from '../runs/series-source.js';
import { useSourceAt, type SourceAt } from '../runs/use-source-at.js';
import type { ChartBand, ChartDefinition, ChartHighlight } from './chart-definition.js';
import { chartSetFor, chartsOf, markersOf, type ChartSet } from './chart-sets.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

/**
 * A value computed afresh as a run grows that keeps its identity while it
 * stays the same (plain data: chart definitions, bands), so a chart redraws
 * for new points only.
 */
function useSameWhileEqual<T>(value: T): T {
  const key = useMemo(() => JSON.stringify(value), [value]);
  return useMemo(() => JSON.parse(key) as T, [key]);
}

/** A set's charts may depend on what the run has recorded so far (one line per worker). */
function useDefinitions(set: ChartSet, at: SourceAt): ChartDefinition[] {
  return useSameWhileEqual(useMemo(() => chartsOf(set, at.source), [set, at]));
}

/** The stretches when other processes kept the machine busy. */
function useBusyBands(at: SourceAt, thresholdCores: number): readonly ChartBand[] {
  const bands = useMemo(
    () =>
      busyBands(at.source.series(NOISE_SERIES.othersCores), thresholdCores).map((band) => ({
        x1: band.fromMs / 1000,
        x2: band.toMs / 1000,
        peakCores: band.peakCores,
      })),
    [at, thresholdCores],
  );
  return useSameWhileEqual(bands);
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
  highlight,
}: {
  kind: string;
  set?: ChartSet;
  source: SeriesSource;
  version: number;
  /** A saved run's threshold (its noise verdict's); live runs use the default. */
  busyThresholdCores?: number;
  /** A stretch to highlight on every chart (a finding's, from "Show on charts"). */
  highlight?: ChartHighlight | undefined;
}) {
  // chartSetFor builds a new object for plain chart lists; one per kind keeps the charts from redrawing every render.
  const set = useMemo(() => givenSet ?? chartSetFor(kind), [givenSet, kind]);
  const derived = useMemo(() => set.derive?.(source) ?? source, [set, source]);
  const definitions = useDefinitions(set, useSourceAt(derived, version));
  // A live run's events grow in place: the markers are of the events there are now.
  const events = derived.events;
  const eventCount = events?.length ?? 0;
  const markers = useMemo(() => markersOf(set, events?.slice(0, eventCount)), [set, events, eventCount]);
  const bands = useBusyBands(useSourceAt(source, version), busyThresholdCores);
  if (definitions.length === 0) return <p className="muted">This run recorded no time series.</p>;
  return (
    <div className="chart-grid">
      {definitions.map((definition) => (
        <TimeSeriesChart key={definition.id} source={derived} version={version} definition={definition} markers={markers} bands={bands} highlight={highlight} />
      ))}
    </div>
  );
}
