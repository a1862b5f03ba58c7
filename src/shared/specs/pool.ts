import { z } from 'zod';
import { TaskRefSchema } from './tasks.js';

export const PoolImplementationSchema = z.enum(['piscina', 'simple']);
export type PoolImplementation = z.infer<typeof PoolImplementationSchema>;

export const PoolSettingsSchema = z
  .object({
    implementation: PoolImplementationSchema.default('piscina'),
    threads: z.number().int().min(1).max(64).default(2),
    /** Jobs allowed to wait for a worker; a full queue rejects new jobs. */
    maxQueue: z.number().int().min(0).max(1_000_000).default(1_000),
    /** Per-worker V8 old-generation limit (resourceLimits.maxOldGenerationSizeMb). */
    maxOldGenerationMb: z.number().int().min(16).max(16_384).optional(),
  })
  .strict();
export type PoolSettings = z.infer<typeof PoolSettingsSchema>;

export const PoolSpecSchema = z
  .object({
    kind: z.literal('pool'),
    name: z.string().max(200).optional(),
    task: TaskRefSchema,
    pool: PoolSettingsSchema.default({ implementation: 'piscina', threads: 2, maxQueue: 1_000 }),
    /** Total jobs to submit. */
    jobs: z.number().int().min(1).max(1_000_000).default(200),
    /** Jobs kept in flight at once by the submitter. */
    concurrency: z.number().int().min(1).max(10_000).default(8),
    /**
     * Warm-up after the threads are up, left out of the results (throughput,
     * latencies, distributions) and shaded on the charts: it ends when this
     * many seconds have passed or warmupJobs jobs have finished, whichever
     * comes first. Neither set: the first of 1 s and a tenth of the jobs.
     * Either set to 0: no warm-up.
     */
    warmupSec: z.number().min(0).max(600).optional(),
    warmupJobs: z.number().int().min(0).max(1_000_000).optional(),
    /** Sampling interval of the time series. */
    sampleIntervalMs: z.number().int().min(50).max(5_000).default(250),
    /** Safety limit: the run stops by itself after this long. */
    timeLimitSec: z.number().min(1).max(3_600).default(600),
  })
  .strict();
export type PoolSpec = z.infer<typeof PoolSpecSchema>;
export type PoolSpecInput = z.input<typeof PoolSpecSchema>;

/** The default warm-up: the first of this long and this share of the jobs. */
export const DEFAULT_POOL_WARMUP_SEC = 1;
export const DEFAULT_POOL_WARMUP_SHARE = 0.1;

/** When a pool run's warm-up ends: after `sec` seconds or `jobs` finished jobs, whichever comes first (an absent limit never ends it). */
export function poolWarmup(spec: Pick<PoolSpec, 'warmupSec' | 'warmupJobs' | 'jobs'>): { sec?: number; jobs?: number } {
  if (spec.warmupSec === undefined && spec.warmupJobs === undefined) {
    return { sec: DEFAULT_POOL_WARMUP_SEC, jobs: Math.floor(spec.jobs * DEFAULT_POOL_WARMUP_SHARE) };
  }
  return {
    ...(spec.warmupSec === undefined ? {} : { sec: spec.warmupSec }),
    ...(spec.warmupJobs === undefined ? {} : { jobs: spec.warmupJobs }),
  };
}

/** Long enough to measure: about 6 ms a job, 2,000 jobs on 2 threads (some 6 s; the first 200 jobs or 1 s are the warm-up). */
export const examplePoolSpec: PoolSpecInput = {
  kind: 'pool',
  name: 'primes up to 1M on 2 threads',
  task: { name: 'primes', params: { limit: 1_000_000 } },
  pool: { implementation: 'piscina', threads: 2, maxQueue: 1_000 },
  jobs: 2_000,
  concurrency: 8,
  sampleIntervalMs: 250,
  timeLimitSec: 120,
};
