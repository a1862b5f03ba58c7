/**
 * A display view of a run record: what a chart can draw, not the whole
 * record. The full-resolution data stays in the record (exports, compare,
 * reports read it); a page that draws a saved run asks for this instead, so a
 * run of a million samples crosses to the UI as a few hundred points a line.
 */
import { z } from 'zod';
import { minMaxDownsample } from './downsample.js';
import type { Distribution, Series } from './metrics.js';
import type { RunRecord } from './run-record.js';

/** More points per line than a screen has pixels would defeat the purpose. */
export const MAX_DISPLAY_POINTS = 20_000;

export const RunDisplayOptionsSchema = z
  .object({
    /** Every longer series is cut to this many points: each bucket's min and max, so spikes stay. */
    maxPointsPerSeries: z.number().int().min(4).max(MAX_DISPLAY_POINTS),
    /** Keep the raw per-item values of distributions (compare's input); left out by default, only their counts stay. */
    distributionValues: z.boolean().default(false),
  })
  .strict();
export type RunDisplayOptions = z.input<typeof RunDisplayOptionsSchema>;

/** What a display view left out, so a page can say what it draws. */
export const RunDisplayInfoSchema = z.object({
  maxPointsPerSeries: z.number(),
  /** Recorded point count of each series that was cut; series not named here are whole. */
  cutSeries: z.record(z.string(), z.number()),
  /** Whether distributions' values were left out (their `observed` counts stay). */
  distributionValuesOmitted: z.boolean(),
});
export type RunDisplayInfo = z.infer<typeof RunDisplayInfoSchema>;

export interface RunDisplayView {
  run: RunRecord;
  display: RunDisplayInfo;
}

/**
 * The record with every series of more than `maxPointsPerSeries` points cut
 * down (min/max per bucket) and, unless asked, distributions without their
 * values. Series are cut one by one, so lines that shared timestamps may keep
 * different ones. The record itself is not changed.
 */
export function runDisplayView(record: RunRecord, options: RunDisplayOptions): RunDisplayView {
  const { maxPointsPerSeries, distributionValues } = RunDisplayOptionsSchema.parse(options);
  const cutSeries: Record<string, number> = {};
  const series: Record<string, Series> = {};
  for (const [name, recorded] of Object.entries(record.series)) {
    if (recorded.t.length <= maxPointsPerSeries) {
      series[name] = recorded;
      continue;
    }
    cutSeries[name] = recorded.t.length;
    series[name] = { ...recorded, ...minMaxDownsample(recorded, maxPointsPerSeries) };
  }
  const distributions: Record<string, Distribution> = {};
  for (const [name, distribution] of Object.entries(record.distributions)) {
    distributions[name] = distributionValues ? distribution : { ...distribution, values: [] };
  }
  return {
    run: { ...record, series, distributions },
    display: { maxPointsPerSeries, cutSeries, distributionValuesOmitted: !distributionValues },
  };
}
