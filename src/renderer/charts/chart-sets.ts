import type { RunEvent } from '../../shared/metrics.js';
import { loadChartSet } from '../load/load-charts.js';
import { dbCharts } from '../db/db-charts.js';
import { memoryChartSet } from '../memory/memory-charts.js';
import { poolCharts } from '../pool/pool-charts.js';
import type { SeriesSource } from '../runs/series-source.js';
import { humanize } from '../format.js';
import { MEASURE_START_EVENT, type ChartDefinition, type ChartMarker } from './chart-definition.js';

/**
 * How a kind's runs are drawn. Charts may depend on what the run recorded
 * (one line per worker); `derive` adds series computed from the recorded
 * ones; `marker` picks the events drawn across every chart.
 */
export interface ChartSet {
  charts: ChartDefinition[] | ((source: SeriesSource) => ChartDefinition[]);
  derive?: (source: SeriesSource) => SeriesSource;
  /** The marker for an event, or none; x defaults to the event's time (a probe's event may carry a more exact one). */
  marker?: (event: RunEvent) => (Omit<ChartMarker, 'x'> & { x?: number }) | undefined;
}

/** Charts per experiment kind. Adding a kind's charts is one entry here. */
const chartSets: Record<string, ChartDefinition[] | ChartSet> = {
  pool: poolCharts,
  db: dbCharts,
  load: loadChartSet,
  memory: memoryChartSet,
};

/** A kind without its own set gets one chart per series. */
const fallbackSet: ChartSet = {
  charts: (source) =>
    source.seriesNames().map((name) => {
      const series = source.series(name);
      return { id: name, title: series?.label ?? humanize(name), lines: [{ series: name }] };
    }),
};

export function chartSetFor(kind: string): ChartSet {
  const registered = chartSets[kind];
  if (!registered) return fallbackSet;
  return Array.isArray(registered) ? { charts: registered } : registered;
}

/** A set's charts for what a source holds. */
export function chartsOf(set: ChartSet, source: SeriesSource): ChartDefinition[] {
  return typeof set.charts === 'function' ? set.charts(source) : set.charts;
}

/** A kind's charts for what a source holds. */
export function chartsFor(kind: string, source: SeriesSource): ChartDefinition[] {
  return chartsOf(chartSetFor(kind), source);
}

/** The events a set marks on its charts' time axis, and for every kind the warm-up before its measured window, shaded. */
export function markersOf(set: ChartSet, events: readonly RunEvent[] | undefined): ChartMarker[] {
  if (!events) return [];
  const { marker } = set;
  const markers: ChartMarker[] = [];
  for (const event of events) {
    if (event.type === MEASURE_START_EVENT) {
      if (event.t > 0) markers.push({ x: 0, x2: event.t / 1000, label: 'warm-up', tone: 'warmup' });
      continue;
    }
    const shown = marker?.(event);
    if (shown) markers.push({ x: event.t / 1000, ...shown });
  }
  return markers;
}

/** The events a kind marks on its charts' time axis. */
export function markersFor(kind: string, events: readonly RunEvent[] | undefined): ChartMarker[] {
  return markersOf(chartSetFor(kind), events);
}
