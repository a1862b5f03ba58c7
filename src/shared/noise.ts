/**
 * How quiet the machine was during a run: what else used the CPU while it
 * measured. Sampled by the engine on the run's time axis (series noise.*),
 * summed up in the record's `noise` verdict, read by compare and the CI gate,
 * which never call a difference significant when either side was busy.
 */
import { z } from 'zod';

/** Other processes using more than this many cores on average make a run "busy". */
export const DEFAULT_BUSY_THRESHOLD_CORES = 0.25;

export const NoiseVerdictSchema = z.object({
  /** quiet: others stayed under the threshold; busy: they did not; unknown: the OS offers no way to tell. */
  verdict: z.enum(['quiet', 'busy', 'unknown']),
  /** Cores used on average by processes outside the run's own process tree (total busy time minus the run's). */
  othersCores: z.number().nullable(),
  /** The worst sampling interval of othersCores. */
  othersCoresMax: z.number().nullable(),
  /** Share of CPU time stolen by the hypervisor, 0..1. */
  stealRatio: z.number().nullable(),
  /** Mean 1-minute load average over the run. */
  loadAverage: z.number().nullable(),
  /** Linux PSI: share of time some runnable task waited for a CPU (avg10 mean, 0..1); null where unavailable. */
  cpuPressure: z.number().nullable(),
  /** The threshold the verdict used. */
  thresholdCores: z.number(),
  /** One sentence for people: "busy: others used 0.7 cores (threshold 0.25)". */
  summary: z.string(),
});
export type NoiseVerdict = z.infer<typeof NoiseVerdictSchema>;

/** Series the engine records for every run (values per sampling interval); named with the others in series-names.ts. */
export { NOISE_SERIES } from './series-names.js';
