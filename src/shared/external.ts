/**
 * Other load engines: a load spec handed to k6 or Artillery (export), and
 * their results taken back as load runs (import). The names both sides agree
 * on live here: the tags an exported script puts on every request, the metric
 * a k6 script carries its spec in, and what an imported run's environment says.
 */
import { z } from 'zod';
import { AnalysisTargetSchema } from './studies.js';

export const ExternalEngineSchema = z.enum(['k6', 'artillery']);
export type ExternalEngine = z.infer<typeof ExternalEngineSchema>;

/** Tag on every request of an exported k6 script: the index of its mix entry. */
export const MIX_TAG = 'tb_mix';
/** Tag on every request of an exported k6 script: 'warmup' or 'measured'. */
export const PHASE_TAG = 'tb_phase';
/** k6 scenario names of an exported script (k6 also tags every sample with its scenario). */
export const WARMUP_SCENARIO = 'tb_warmup';
export const MEASURED_SCENARIO = 'tb_measured';
/** A counter an exported k6 script adds once, in setup(), with the spec it came from in its "spec" tag. */
export const SPEC_METRIC = 'tunebench_spec';
/** The largest spec (JSON) a k6 script carries into its results; a larger one is named in the notes. */
export const MAX_CARRIED_SPEC_CHARS = 64 * 1024;
/**
 * An Artillery script names each request "tb<i> <METHOD> <path>", so its
 * per-endpoint metrics (the metrics-by-endpoint plugin) say which mix entry
 * they are.
 */
export function artilleryRequestName(index: number, method: string, path: string): string {
  return `tb${index} ${method} ${path}`;
}
export function parseArtilleryRequestName(name: string): { index: number; method: string; path: string } | undefined {
  const match = /^tb(\d{1,2}) ([A-Z]{3,7}) (\/\S*)$/.exec(name);
  return match ? { index: Number(match[1]), method: match[2]!, path: match[3]! } : undefined;
}
/** The pause (seconds) an Artillery script leaves after its warm-up, so no 10 s report period mixes warm-up and measured requests. */
export const ARTILLERY_WARMUP_GAP_SEC = 10;

export const LoadExportRequestSchema = z
  .object({
    /** A load spec; validated by the load kind's schema by the engine (an invalid one is TB_INVALID_SPEC naming the field). */
    spec: z.record(z.string(), z.unknown()),
    engine: ExternalEngineSchema,
    /** The user's target, e.g. latency.p99 < 50: k6 thresholds, Artillery ensure checks. */
    target: AnalysisTargetSchema.optional(),
    /** Latency expected of the target (ms): sizes k6's VUs for an arrival rate and Artillery's rate for a closed loop. */
    expectedLatencyMs: z.number().min(0.1).max(600_000).optional(),
  })
  .strict();
export type LoadExportRequest = z.input<typeof LoadExportRequestSchema>;

export const LoadExportSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  content: z.string(),
  /** What the other engine runs differently, and what the spec has that it cannot express. */
  notes: z.array(z.string()),
});
export type LoadExport = z.infer<typeof LoadExportSchema>;

/** What an imported run's environment.extra carries. */
export const SOURCE_ENGINE_KEY = 'sourceEngine';
export const SOURCE_ENGINE_VERSION_KEY = 'sourceEngineVersion';

/** An imported run's engine, or undefined for Tunebench's own. */
export function sourceEngineOf(run: { environment: { extra?: Record<string, string> | undefined } }): ExternalEngine | undefined {
  const value = run.environment.extra?.[SOURCE_ENGINE_KEY];
  const parsed = ExternalEngineSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
