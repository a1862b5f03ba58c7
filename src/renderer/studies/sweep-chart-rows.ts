/**
 * A sweep chart's rows: each point's mean and its 95% interval as error bars,
 * for the objective ('m') and the latency ('l'). With few repeats the interval
 * of a throughput or a latency can reach below zero, which no throughput or
 * latency can: such a metric's axis starts at 0 and its interval is cut there,
 * the row saying so (`mClipped`) for the tooltip and the chart's note.
 */
import type { SweepAnalysis } from '../../shared/studies.js';
import type { Unit } from '../../shared/metrics.js';

type Point = SweepAnalysis['points'][number];

/** Units a measurement in can never be negative: times, rates, counts, shares. (A growth in MB/min or bytes can.) */
const NON_NEGATIVE_UNITS: ReadonlySet<Unit> = new Set<Unit>(['ms', 's', 'us', 'jobs/s', 'req/s', 'queries/s', 'count', 'ratio', 'percent', 'jobs', '×', 'cores']);

export type SweepSeriesKey = 'm' | 'l';

export interface SweepChartRows {
  rows: Array<Record<string, unknown>>;
  /** Per series, whether its axis starts at 0 (a metric that cannot be negative, every mean at or above 0). */
  fromZero: Record<SweepSeriesKey, boolean>;
  /** Per series, whether any point's interval was cut at 0. */
  clipped: Record<SweepSeriesKey, boolean>;
}

export function sweepChartRows(
  points: readonly Point[],
  axisPath: string,
  series: Record<SweepSeriesKey, string | null>,
  units: SweepAnalysis['units'],
): SweepChartRows {
  const fromZero = { m: false, l: false };
  for (const key of ['m', 'l'] as const) {
    const name = series[key];
    if (!name) continue;
    const unit = units[name];
    const means = points.flatMap((point) => (point.metrics[name] ? [point.metrics[name].mean] : []));
    fromZero[key] = unit !== undefined && NON_NEGATIVE_UNITS.has(unit) && means.length > 0 && means.every((mean) => mean >= 0);
  }
  const clipped = { m: false, l: false };
  const rows = points.map((point) => {
    const row: Record<string, unknown> = { x: String(point.settings[axisPath]) };
    for (const key of ['m', 'l'] as const) {
      const name = series[key];
      const stat = name ? point.metrics[name] : undefined;
      if (!stat) continue;
      const cut = fromZero[key] && stat.low < 0;
      const low = cut ? 0 : stat.low;
      if (cut) clipped[key] = true;
      row[key] = stat.mean;
      row[`${key}Err`] = [stat.mean - low, stat.high - stat.mean];
      row[`${key}Interval`] = [low, stat.high];
      if (cut) row[`${key}Clipped`] = true;
    }
    return row;
  });
  return { rows, fromZero, clipped };
}
