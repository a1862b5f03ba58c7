/**
 * What the runtime probe sends and answers, and what the engine reports about
 * a process's insides (snapshots, profiles, leak verdicts). Plain data only:
 * the probe lives in subject processes, the engine parses every message with
 * these schemas before trusting it.
 */
import { z } from 'zod';

/** GC kinds as PerformanceObserver reports them (perf_hooks constants NODE_PERFORMANCE_GC_*). */
export const gcKinds = ['minor', 'major', 'incremental', 'weakcb'] as const;
export const GcKindSchema = z.enum(gcKinds);
export type GcKind = z.infer<typeof GcKindSchema>;

/**
 * A GC worth a line on the timeline: every major collection, and any pause at
 * least this long. A busy process does hundreds of minor GCs a second; those
 * are kept as per-interval totals only.
 */
export const NOTABLE_GC_MS = 10;

export function isNotableGc(event: { kind: string; durationMs: number }): boolean {
  return event.kind === 'major' || event.durationMs >= NOTABLE_GC_MS;
}

/** Heap space groups the probe reports; V8's own space names vary by version, these do not. */
export const heapSpaceGroups = ['new', 'old', 'code', 'large', 'other'] as const;
export type HeapSpaceGroup = (typeof heapSpaceGroups)[number];

const GcTotalsSchema = z.object({ count: z.number(), pauseMs: z.number() });

/** One probe interval. Sizes in bytes, times in ms, t in epoch ms (end of the interval). */
export const ProbeSampleSchema = z.object({
  t: z.number(),
  intervalMs: z.number(),
  rss: z.number(),
  heapTotal: z.number(),
  heapUsed: z.number(),
  heapLimit: z.number(),
  external: z.number(),
  arrayBuffers: z.number(),
  spaces: z.record(z.string(), z.number()),
  /** Absent when the probe was told not to measure it (its host measures the same loop already). */
  eld: z.object({ p50: z.number(), p99: z.number(), max: z.number(), mean: z.number() }).optional(),
  /** Event-loop utilisation over the interval, 0..1. */
  elu: z.number(),
  /** CPU time of the whole process over the interval, percent of one core. */
  cpuUser: z.number(),
  cpuSystem: z.number(),
  handles: z.number().optional(),
  gc: z.record(z.string(), GcTotalsSchema),
});
export type ProbeSample = z.infer<typeof ProbeSampleSchema>;

export const ProbeGcEventSchema = z.object({
  /** Epoch ms of the GC start. */
  t: z.number(),
  kind: GcKindSchema,
  durationMs: z.number(),
  /** Heap used right after a major GC: the live-set floor the leak detector fits. */
  heapUsedAfter: z.number().optional(),
});
export type ProbeGcEvent = z.infer<typeof ProbeGcEventSchema>;

export const PROBE_BATCH = 'tunebench:probe';
export const PROBE_COMMAND = 'tunebench:probe-command';
export const PROBE_REPLY = 'tunebench:probe-reply';

export const ProbeBatchSchema = z.object({
  type: z.literal(PROBE_BATCH),
  pid: z.number(),
  threadId: z.number(),
  seq: z.number(),
  samples: z.array(ProbeSampleSchema),
  gc: z.array(ProbeGcEventSchema),
  /** Cumulative counts dropped because the channel could not keep up. */
  dropped: z.object({ samples: z.number(), gc: z.number() }),
});
export type ProbeBatch = z.infer<typeof ProbeBatchSchema>;

/** What the engine can ask a probed process to do; files are absolute paths chosen by the engine. */
export const ProbeCommandSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('heapSnapshot'), file: z.string() }),
  z.object({ command: z.literal('cpuProfile'), file: z.string(), seconds: z.number() }),
  z.object({ command: z.literal('allocationProfile'), file: z.string(), seconds: z.number() }),
  z.object({ command: z.literal('gc') }),
]);
export type ProbeCommand = z.infer<typeof ProbeCommandSchema>;

export const ProbeCommandMessageSchema = z.object({
  type: z.literal(PROBE_COMMAND),
  id: z.number(),
  request: ProbeCommandSchema,
});
export type ProbeCommandMessage = z.infer<typeof ProbeCommandMessageSchema>;

export const ProbeReplySchema = z.object({
  type: z.literal(PROBE_REPLY),
  id: z.number(),
  ok: z.boolean(),
  /** For file commands: bytes written. */
  bytes: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ProbeReply = z.infer<typeof ProbeReplySchema>;

export const LeakVerdictSchema = z.object({
  /** collecting: evidence still short; undecided: the run ended with it short (the reason says what was missing). */
  status: z.enum(['collecting', 'undecided', 'no-leak', 'possible-leak']),
  /** Growth of the live-set floor (heap used after major GCs). */
  slopeMbPerMin: z.number(),
  /** Growth over the latest third of the points' span: a flat tail after growth is a plateau, not a leak. */
  recentSlopeMbPerMin: z.number().optional(),
  recentSec: z.number().optional(),
  r2: z.number(),
  /** Fitted line, for drawing: heap used (MB) = interceptMb + slopeMbPerMin * (t - t0)/60000. */
  t0: z.number(),
  t1: z.number(),
  interceptMb: z.number(),
  points: z.number(),
  windowSec: z.number(),
  reason: z.string(),
});
export type LeakVerdict = z.infer<typeof LeakVerdictSchema>;

export const ConstructorRowSchema = z.object({ name: z.string(), count: z.number(), selfSize: z.number() });
export const HeapSummarySchema = z.object({
  totalSize: z.number(),
  totalCount: z.number(),
  top: z.array(ConstructorRowSchema),
});
export type HeapSummary = z.infer<typeof HeapSummarySchema>;

export const HeapDiffRowSchema = z.object({
  name: z.string(),
  countDelta: z.number(),
  sizeDelta: z.number(),
  count: z.number(),
  selfSize: z.number(),
});
export type HeapDiffRow = z.infer<typeof HeapDiffRowSchema>;

export const FunctionRowSchema = z.object({
  functionName: z.string(),
  url: z.string(),
  line: z.number(),
  /** CPU profile: self time in ms; allocation profile: bytes sampled as allocated here. */
  self: z.number(),
  /** Share of the total, 0..1. */
  share: z.number(),
});
export type FunctionRow = z.infer<typeof FunctionRowSchema>;

export const RuntimeSubjectInfoSchema = z.object({
  id: z.string(),
  pid: z.number(),
  label: z.string(),
  runId: z.string().optional(),
  heapUsed: z.number().optional(),
  heapLimit: z.number().optional(),
});
export type RuntimeSubjectInfo = z.infer<typeof RuntimeSubjectInfoSchema>;
