import { z } from 'zod';

/**
 * 'ratio' is a 0..1 fraction and reads as a percentage; '×' is a multiple of
 * a reference (1.94× the fair share) that can exceed 1 by any amount;
 * 'cores' is CPU time per wall time (0.7 cores: 70% of one core on average).
 */
export const UnitSchema = z.enum([
  'ms', 's', 'us', 'jobs/s', 'req/s', 'queries/s', 'count', 'ratio', 'percent', 'bytes', 'MB', 'MB/min', 'jobs', '×', 'cores',
]);
export type Unit = z.infer<typeof UnitSchema>;

/** A named number with its unit: the shape of every summary value. */
export const MetricValueSchema = z.object({
  value: z.number(),
  unit: UnitSchema,
  label: z.string().optional(),
  /** Whether a larger value is better; drives compare and regression gates. */
  better: z.enum(['higher', 'lower', 'neither']).default('neither'),
});
export type MetricValue = z.infer<typeof MetricValueSchema>;

/**
 * A time series as two parallel arrays: t is milliseconds since the run
 * started. Parallel arrays keep 100,000-point series compact in JSON and cheap
 * to append to.
 */
export const SeriesSchema = z.object({
  unit: UnitSchema,
  label: z.string().optional(),
  t: z.array(z.number()),
  v: z.array(z.number()),
});
export type Series = z.infer<typeof SeriesSchema>;

/** Points appended to one series since the previous frame. */
export const SeriesDeltaSchema = z.object({
  t: z.array(z.number()),
  v: z.array(z.number()),
});
export type SeriesDelta = z.infer<typeof SeriesDeltaSchema>;

export const RunEventSchema = z.object({
  t: z.number(),
  type: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type RunEvent = z.infer<typeof RunEventSchema>;

/**
 * Raw per-item values (per job, per request ...) kept for resampling in
 * compare. Reservoir-sampled so a huge run stays a bounded file.
 */
export const DistributionSchema = z.object({
  unit: UnitSchema,
  label: z.string().optional(),
  /** How many values were observed; values holds at most a reservoir of them. */
  observed: z.number(),
  values: z.array(z.number()),
});
export type Distribution = z.infer<typeof DistributionSchema>;
