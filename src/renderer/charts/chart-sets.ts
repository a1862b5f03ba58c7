import { dbCharts } from '../db/db-charts.js';
import { poolCharts } from '../pool/pool-charts.js';
import type { SeriesSource } from '../runs/series-source.js';
import { humanize } from '../format.js';
import type { ChartDefinition } from './chart-definition.js';

/** Charts per experiment kind. Adding a kind's charts is one entry here. */
const chartSets: Record<string, ChartDefinition[]> = {
  pool: poolCharts,
  db: dbCharts,
};

/** A kind's charts, or one chart per series for a kind without its own set. */
export function chartsFor(kind: string, source: SeriesSource): ChartDefinition[] {
  const registered = chartSets[kind];
  if (registered) return registered;
  return source.seriesNames().map((name) => {
    const series = source.series(name);
    return { id: name, title: series?.label ?? humanize(name), lines: [{ series: name }] };
  });
}
