/**
 * What compare, sweep analysis and reports produce: the shapes the contract
 * carries and the exported JSON file holds. Computed in the engine
 * (src/main/engine/studies), drawn by the renderer.
 */
import { z } from 'zod';
import { SafeIdSchema } from './ids.js';
import { UnitSchema } from './metrics.js';
import { EnvironmentSchema, RunRecordSchema } from './run-record.js';
import { SettingValue, SweepRecordSchema } from './specs/sweep.js';

export const DEFAULT_NOISE_FLOOR_PCT = 3;
export const DEFAULT_CONFIDENCE_LEVEL = 0.95;
export const DEFAULT_RESAMPLES = 2_000;
/**
 * The largest report an import reads. Checked before a file is read whole
 * (CLI: its size on disk; the UI: the File's size) and again on the call.
 */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;


/** One side of a comparison: saved runs (their repeats), or one point of a saved sweep. */
export const CompareSideRefSchema = z.union([
  z.object({ runIds: z.array(SafeIdSchema).min(1).max(100) }).strict(),
  z.object({ sweepId: SafeIdSchema, point: z.number().int().min(0) }).strict(),
]);
export type CompareSideRef = z.infer<typeof CompareSideRefSchema>;

export const CompareOptionsSchema = z
  .object({
    /** A difference smaller than this (percent of the baseline) is noise, whatever its interval. */
    noiseFloorPct: z.number().min(0).max(100).default(DEFAULT_NOISE_FLOOR_PCT),
    level: z.number().gt(0.5).lt(1).default(DEFAULT_CONFIDENCE_LEVEL),
    resamples: z.number().int().min(200).max(20_000).default(DEFAULT_RESAMPLES),
    seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  })
  .strict();
export type CompareOptions = z.infer<typeof CompareOptionsSchema>;

export const IntervalSchema = z.object({ low: z.number(), high: z.number() });
export type Interval = z.infer<typeof IntervalSchema>;

/**
 * How a row's interval was computed. With runs repeated on a side, every
 * metric is judged on one value per run (between-run noise): Student's t
 * (pooled variance; equal run counts, or a single run on one side) or Welch's
 * t (unequal counts), on log values when all are positive. With one run per
 * side only the per-item values of each run are left: a block bootstrap,
 * which sees within-run noise only (indicative).
 */
export const CompareMethodSchema = z.enum(['student-t-log', 'welch-t-log', 'student-t', 'welch-t', 'block-bootstrap']);
export type CompareMethod = z.infer<typeof CompareMethodSchema>;

/** What a single-run comparison is called wherever it is shown (CLI, Compare page, reports). */
export const INDICATIVE_LABEL = 'indicative (one run per side: within-run noise only)';

const METHOD_TEXT: Record<CompareMethod, string> = {
  'student-t-log':
    "Student's t interval on the log of the per-run values (pooled variance, n − 2 degrees of freedom): the interval of the ratio of geometric means, valid from 2 runs a side",
  'welch-t-log':
    "Welch's t interval on the log of the per-run values (unequal run counts, Satterthwaite degrees of freedom): the interval of the ratio of geometric means",
  'student-t': "Student's t interval on the per-run values (some are 0 or negative, so no log); Δ % is the interval over the baseline mean",
  'welch-t': "Welch's t interval on the per-run values (some are 0 or negative, so no log); Δ % is the interval over the baseline mean",
  'block-bootstrap':
    'block bootstrap of the per-item values in time order (20 blocks of consecutive items per run); it sees only the noise within each run, not between runs, so the verdict is indicative',
};

/** One sentence per method a comparison used, for the CLI, the Compare page and reports. */
export function describeCompareMethods(comparison: Pick<Comparison, 'rows'>): string[] {
  const used = new Map<CompareMethod, string[]>();
  for (const row of comparison.rows) if (row.method) used.set(row.method, [...(used.get(row.method) ?? []), row.metric]);
  return CompareMethodSchema.options
    .filter((method) => used.has(method))
    .map((method) => {
      const metrics = used.get(method)!;
      const which = used.size === 1 ? 'every metric' : metrics.length > 6 ? `${metrics.length} metrics` : metrics.join(', ');
      return `Intervals of ${which}: ${METHOD_TEXT[method]}.`;
    });
}

export const ComparisonRowSchema = z.object({
  /** Summary key, or `<distribution>.<statistic>` for rows computed from per-item values. */
  metric: z.string(),
  label: z.string().optional(),
  unit: UnitSchema,
  better: z.enum(['higher', 'lower', 'neither']),
  baseline: z.number().nullable(),
  candidate: z.number().nullable(),
  diff: z.number().nullable(),
  /** (candidate - baseline) / baseline; null when the baseline is 0 or missing. */
  relDiff: z.number().nullable(),
  ci: IntervalSchema.nullable(),
  relCi: IntervalSchema.nullable(),
  /** Where the interval came from: repeats of each side, the per-item values of one run each, or nothing. */
  basis: z.enum(['per-repeat', 'per-item', 'none']),
  /** The interval's method (absent without an interval, and in reports written before it was recorded). */
  method: CompareMethodSchema.optional(),
  n: z.object({ baseline: z.number(), candidate: z.number() }),
  /**
   * Names this metric had before each metric got one row (e.g. `waitMs.p50`
   * for `waitP50`): the CI gate's --metrics still accepts them.
   */
  aliases: z.array(z.string()).optional(),
  significant: z.boolean(),
  /** inconclusive: the machine was busy while either side ran (see Comparison.inconclusive). */
  verdict: z.enum(['better', 'worse', 'changed', 'no-difference', 'insufficient-data', 'inconclusive']),
});
export type ComparisonRow = z.infer<typeof ComparisonRowSchema>;

export const ComparisonSideSchema = z.object({
  label: z.string(),
  kind: z.string(),
  runIds: z.array(z.string()),
  spec: z.record(z.string(), z.unknown()),
  environment: EnvironmentSchema,
});
export type ComparisonSide = z.infer<typeof ComparisonSideSchema>;

/**
 * The one answer a comparison opens with: the chosen objective's change with
 * its interval, the key secondary metric, and better / worse / no clear
 * difference / inconclusive (with why, and what would decide it).
 */
export const ComparisonVerdictSchema = z.object({
  /** The metric judged (a row's metric). */
  objective: z.string(),
  /** The metric named beside it (a latency for throughput objectives). */
  secondary: z.string().optional(),
  outcome: z.enum(['better', 'worse', 'no-difference', 'inconclusive']),
  /** Why the outcome is inconclusive: "busy machine", "indicative single runs", "no interval" ... */
  reason: z.string().optional(),
  /** 'pool.threads 1 → 2: throughput +62 % [+55 … +70 %], p99 latency −40 %; better' */
  headline: z.string(),
  /** What would make an undecided comparison decisive (more repeats, longer runs, a quieter machine). */
  advice: z.array(z.string()),
});
export type ComparisonVerdict = z.infer<typeof ComparisonVerdictSchema>;

/**
 * The objective a comparison is judged on when none is chosen, per kind, and
 * the metric named beside it (the first present of each list).
 */
export const DEFAULT_OBJECTIVES: Readonly<Record<string, { objective: readonly string[]; secondary: readonly string[] }>> = {
  pool: { objective: ['throughput'], secondary: ['latencyP99', 'waitP99'] },
  load: { objective: ['throughput'], secondary: ['latency.p99'] },
  db: { objective: ['throughput'], secondary: ['latencyP99'] },
  memory: { objective: ['leak.slopeMbPerMin'], secondary: ['peakHeapUsed'] },
};

export const ComparisonSchema = z.object({
  baseline: ComparisonSideSchema,
  candidate: ComparisonSideSchema,
  options: CompareOptionsSchema.required(),
  rows: z.array(ComparisonRowSchema),
  /** Settings that differ between the two specs: what the comparison is about. */
  specChanges: z.array(z.object({ path: z.string(), baseline: z.unknown(), candidate: z.unknown() })),
  /** Things that weaken the comparison: different kinds, machines, failed runs. */
  warnings: z.array(z.string()),
  /**
   * One run per side: the intervals see within-run noise only, so every
   * verdict is indicative and the CI gate does not fail on it unless asked.
   */
  indicative: z.boolean().default(false),
  /**
   * How busy the machine was while either side ran (the runs' noise
   * verdicts); absent in reports written before compare read it.
   */
  noise: z.object({ blocked: z.boolean(), reason: z.string() }).optional(),
  /**
   * Set when either side ran on a busy machine ("inconclusive: the machine was
   * busy (others used 0.7 cores during the candidate; …)"): no row is then
   * significant, and the CI gate exits 2 unless --allow-noisy.
   */
  inconclusive: z.string().optional(),
  /** The answer on the objective (absent in reports written before compare gave one). */
  verdict: ComparisonVerdictSchema.optional(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const AnalysisTargetSchema = z
  .object({ metric: z.string().min(1), op: z.enum(['<', '<=', '>', '>=']), value: z.number() })
  .strict();
export type AnalysisTarget = z.infer<typeof AnalysisTargetSchema>;

export const AnalysisOptionsSchema = z
  .object({
    /** The metric to maximise; defaults to the first "higher is better" metric (throughput). */
    metric: z.string().min(1).optional(),
    /** The latency drawn beside it; defaults to the first "lower is better" p99. */
    latencyMetric: z.string().min(1).optional(),
    /** E.g. p99 < 50 ms: the best setting must meet it. */
    target: AnalysisTargetSchema.optional(),
    /** The knee is the smallest setting within this percent of the best. */
    kneePct: z.number().min(0).max(50).default(5),
    seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  })
  .strict();
export type AnalysisOptions = z.infer<typeof AnalysisOptionsSchema>;

const PointStatSchema = z.object({ mean: z.number(), low: z.number(), high: z.number(), n: z.number() });

export const SweepPointAnalysisSchema = z.object({
  index: z.number(),
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  metrics: z.record(z.string(), PointStatSchema),
});

const RecommendationSchema = z.object({
  point: z.number().nullable(),
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).nullable(),
  /**
   * How sure the pick is, by the rule Compare uses (Student's t on the
   * per-run values, on their logs when positive): the smallest probability
   * that the pick beats a rival. Null when it cannot be estimated (a point
   * with a single repeat has no spread to judge by).
   */
  confidence: z.number().nullable(),
  /**
   * Confidence of at least 95% from enough repeats of runs long enough for a
   * stable figure (absent in analyses saved before it was judged).
   */
  decisive: z.boolean().optional(),
  /** When not decisive: what would make it so (more repeats, longer runs). */
  toDecide: z.array(z.string()).optional(),
  /** Plain sentences: what was measured that supports the pick. */
  evidence: z.array(z.string()),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const SweepAnalysisSchema = z.object({
  metric: z.string().nullable(),
  latencyMetric: z.string().nullable(),
  units: z.record(z.string(), UnitSchema),
  /** Each metric as its runs label it ('latency p99'), for charts and tables; absent from analyses saved before it. */
  labels: z.record(z.string(), z.string()).optional(),
  points: z.array(SweepPointAnalysisSchema),
  /** One per value of the second axis (or one in all). */
  knees: z.array(RecommendationSchema.extend({ slice: z.string() })),
  best: RecommendationSchema.extend({ target: AnalysisTargetSchema.nullable() }).nullable(),
  warnings: z.array(z.string()),
});
export type SweepAnalysis = z.infer<typeof SweepAnalysisSchema>;

export const ReportFormatSchema = z.enum(['html', 'md', 'csv', 'json']);
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

export const ReportTargetSchema = z.union([
  z.object({ runId: SafeIdSchema }).strict(),
  z.object({ sweepId: SafeIdSchema, analysis: AnalysisOptionsSchema.optional() }).strict(),
  z
    .object({
      baseline: CompareSideRefSchema,
      candidate: CompareSideRefSchema,
      options: CompareOptionsSchema.optional(),
      /** Judge the intervals even when the machine was busy, as runs.compare's allowNoisy. */
      allowNoisy: z.boolean().optional(),
      /** The metric the verdict is on, as runs.compare's objective. */
      objective: z.string().min(1).max(200).optional(),
    })
    .strict(),
]);
export type ReportTarget = z.input<typeof ReportTargetSchema>;

export const REPORT_FILE_FORMAT = 1;
export const REPORT_FILE_MARKER = 'tunebench-report';

const ReportFileBase = {
  tunebench: z.literal(REPORT_FILE_MARKER),
  format: z.literal(REPORT_FILE_FORMAT),
  tunebenchVersion: z.string(),
  exportedAt: z.string(),
  /** The exporting machine; each run keeps its own environment too. */
  environment: EnvironmentSchema,
};

/** The JSON export: everything needed to import again and to recompute every number in it. */
export const ReportFileSchema = z.discriminatedUnion('type', [
  z.object({ ...ReportFileBase, type: z.literal('run'), run: RunRecordSchema }).strict(),
  z
    .object({ ...ReportFileBase, type: z.literal('sweep'), sweep: SweepRecordSchema, runs: z.array(RunRecordSchema) })
    .strict(),
  z
    .object({
      ...ReportFileBase,
      type: z.literal('comparison'),
      comparison: ComparisonSchema,
      baselineRuns: z.array(RunRecordSchema),
      candidateRuns: z.array(RunRecordSchema),
    })
    .strict(),
]);
export type ReportFile = z.infer<typeof ReportFileSchema>;

export const ExportedFileSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  content: z.string(),
});
export type ExportedFile = z.infer<typeof ExportedFileSchema>;

export function describeSettings(settings: Record<string, SettingValue>): string {
  const entries = Object.entries(settings);
  return entries.length ? entries.map(([path, value]) => `${path}=${String(value)}`).join(', ') : 'base spec';
}

/** How a recommendation's confidence reads wherever it is shown (UI, reports). */
export function describeConfidence(confidence: number | null, decisive?: boolean): string {
  if (confidence === null) return 'confidence cannot be estimated';
  // A handful of repeats never proves certainty: 99.6% is not 100%.
  const shown = confidence >= 0.99 ? '>99%' : `${Math.round(confidence * 100)}%`;
  return `confidence ${shown}${decisive === false ? ', not decisive' : ''}`;
}

/** One sentence on what an import did, the same in the UI and the CLI. */
export function describeImport(result: {
  runs: readonly string[];
  sweeps: readonly string[];
  skipped: readonly string[];
  renamed: ReadonlyArray<{ type: string; from: string; to: string }>;
}): string {
  const parts = [`Imported ${result.runs.length} run(s) and ${result.sweeps.length} sweep(s)`];
  if (result.skipped.length) parts.push(`already present: ${result.skipped.join(', ')}`);
  if (result.renamed.length) {
    parts.push(`ids already taken here, imported under new ones: ${result.renamed.map((r) => `${r.type} ${r.from} → ${r.to}`).join(', ')}`);
  }
  return `${parts.join('; ')}.`;
}

const SHORT_METRIC_NAMES: Readonly<Record<string, string>> = {
  throughput: 'throughput',
  'leak.slopeMbPerMin': 'leak slope',
  peakHeapUsed: 'peak heap',
  errorRate: 'error rate',
};

/** What a verdict calls a metric: "throughput", "p99 latency" (latencyP99, latency.p99), "p99 wait" (waitP99). */
export function shortMetricName(metric: string, label?: string): string {
  const known = SHORT_METRIC_NAMES[metric];
  if (known) return known;
  const percentile = /^(.+?)(?:\.p|P)(\d+)$/.exec(metric);
  if (percentile) return `p${percentile[2]} ${percentile[1]!.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
  return label ?? metric;
}
