/**
 * Messages between the engine and the processes and threads it drives for
 * the cluster experiments: the cluster supervisor (a child process, over its
 * IPC channel) and the load generator (a worker thread). Every message is
 * parsed with these schemas on arrival, in both directions.
 */
import { z } from 'zod';
import { ClusterFaultSchema, ClusterSettingsSchema, WorkerStatusSchema } from './specs/cluster.js';
import { LoadSettingsSchema } from './specs/load.js';

// ---------- engine ↔ cluster supervisor ----------

/**
 * A runtime-probe message (batch, command or reply) on its way between the
 * engine and one process of the cluster: the supervisor itself (no slot) or
 * the test server in a slot, whose messages only the supervisor can relay.
 * The message inside is parsed by the probe's own schemas at each end.
 */
export const ProbeEnvelopeSchema = z.object({
  type: z.literal('probe'),
  slot: z.number().int().min(0).optional(),
  /** The process the message came from (relayed ones only; a slot's pid changes when its worker is replaced). */
  pid: z.number().int().optional(),
  message: z.unknown(),
});
export type ProbeEnvelope = z.infer<typeof ProbeEnvelopeSchema>;

export const SupervisorCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), settings: ClusterSettingsSchema, serverEntry: z.string().min(1) }),
  z.object({ type: z.literal('fault'), id: z.number().int(), fault: ClusterFaultSchema }),
  z.object({ type: z.literal('rolling-restart'), id: z.number().int() }),
  z.object({ type: z.literal('shutdown') }),
  ProbeEnvelopeSchema,
]);
export type SupervisorCommand = z.infer<typeof SupervisorCommandSchema>;

export const ClusterEventTypeSchema = z.enum([
  'worker-start',
  'worker-exit',
  'restart',
  'crash-loop',
  'health',
  'fault',
  'rolling-restart',
]);
export type ClusterEventType = z.infer<typeof ClusterEventTypeSchema>;

export const ClusterEventSchema = z.object({
  type: ClusterEventTypeSchema,
  message: z.string(),
  /** Wall-clock time of the event (Date.now() in the supervisor). */
  at: z.number(),
  slot: z.number().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ClusterEvent = z.infer<typeof ClusterEventSchema>;

export const SupervisorMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    port: z.number().int(),
    pid: z.number().int(),
    node: z.string(),
    workers: z.array(WorkerStatusSchema),
  }),
  z.object({ type: z.literal('workers'), at: z.number(), workers: z.array(WorkerStatusSchema) }),
  z.object({ type: z.literal('event'), event: ClusterEventSchema }),
  z.object({
    type: z.literal('reply'),
    id: z.number().int(),
    ok: z.boolean(),
    message: z.string().optional(),
    /** A refusal's error code (an ErrorCode of the catalogue); the engine rethrows it with the message. */
    code: z.string().optional(),
  }),
  /** The supervisor cannot go on (e.g. the port is taken); it exits after sending this. */
  z.object({ type: z.literal('fatal'), message: z.string() }),
  ProbeEnvelopeSchema,
]);
export type SupervisorMessage = z.infer<typeof SupervisorMessageSchema>;

// ---------- engine ↔ load generator thread ----------

/**
 * Response header carrying the slot of the test-server worker that answered:
 * the load generator counts answers per worker from it, exactly, even for a
 * worker killed before it could report to its supervisor.
 */
export const WORKER_SLOT_HEADER = 'x-tunebench-worker';
/** Slots above this (from a foreign server's header) are not counted per worker. */
export const MAX_WORKER_SLOT = 63;

export const LoadGeneratorConfigSchema = z.object({
  /** Origin of the target, e.g. http://127.0.0.1:8080 (a URL's path prefix is kept in basePath). */
  origin: z.string(),
  basePath: z.string(),
  settings: LoadSettingsSchema,
  sampleIntervalMs: z.number().int().min(50),
});
export type LoadGeneratorConfig = z.infer<typeof LoadGeneratorConfigSchema>;

export const LoadGeneratorCommandSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('stop') })]);
export type LoadGeneratorCommand = z.infer<typeof LoadGeneratorCommandSchema>;

export const LatencyPercentilesSchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
  mean: z.number(),
});
export type LatencyPercentiles = z.infer<typeof LatencyPercentilesSchema>;

export const LoadErrorCountsSchema = z.object({
  non2xx: z.number(),
  timeout: z.number(),
  reset: z.number(),
  refused: z.number(),
  other: z.number(),
});
export type LoadErrorCounts = z.infer<typeof LoadErrorCountsSchema>;
/** The kinds of failed request, in the order summaries and charts list them. */
export const LOAD_ERROR_KINDS = ['non2xx', 'timeout', 'reset', 'refused', 'other'] as const satisfies ReadonlyArray<keyof LoadErrorCounts>;
export type LoadErrorKind = (typeof LOAD_ERROR_KINDS)[number];
/** What each kind of failed request is called in summaries and series labels. */
export const LOAD_ERROR_LABELS: Readonly<Record<LoadErrorKind, string>> = {
  non2xx: 'non-2xx answers',
  timeout: 'timeouts',
  reset: 'connections reset',
  refused: 'connections refused',
  other: 'other errors',
};

/** One entry of the request mix (by index, as in the spec): answers, errors, and latency percentiles when anything was answered. */
export const LoadMixResultSchema = z.object({
  requests: z.number(),
  errors: z.number(),
  latencyMs: LatencyPercentilesSchema.optional(),
});
export type LoadMixResult = z.infer<typeof LoadMixResultSchema>;

export const LoadIntervalSchema = z.object({
  /** Milliseconds since the generator started (warm-up included). */
  elapsedMs: z.number(),
  /** Length of this interval; intervals split the warm-up and the measured window exactly and stop when it ends. */
  durationMs: z.number(),
  phase: z.enum(['warmup', 'measure']),
  /** Answers received in this interval. */
  requests: z.number(),
  rps: z.number(),
  /** Absent when nothing was answered: no latency was measured, which is not a latency of 0. */
  latencyMs: LatencyPercentilesSchema.optional(),
  errors: LoadErrorCountsSchema,
  /** Answers in this interval per test-server worker slot (from WORKER_SLOT_HEADER); empty for other servers. */
  byWorker: z.record(z.string(), z.number()),
  /** Per entry of the request mix, in its order (absent from generators older than it). */
  byMix: z.array(LoadMixResultSchema).optional(),
  /** Requests sent but not answered yet. */
  inFlight: z.number(),
  /** The generator thread's own health: event-loop delay p99 and utilisation (0..1). */
  generatorEldP99Ms: z.number(),
  generatorUtilization: z.number(),
});
export type LoadInterval = z.infer<typeof LoadIntervalSchema>;

/**
 * What limited a load run, each its own name: the generator itself (its CPU
 * or event loop, a scheduler that could not send at the rate, a backlog of
 * arrivals that overflowed), its connections (open loop: arrivals waited for
 * a free connection while the target answered in its usual time), or the
 * target (it did not keep up: its response time grew, or it answered less
 * than was asked).
 */
export const LoadLimitCauseSchema = z.enum(['generator', 'connections', 'server']);
export type LoadLimitCause = z.infer<typeof LoadLimitCauseSchema>;

export const LoadResultSchema = z.object({
  mode: z.enum(['closed', 'open']),
  /** Measured requests (sent in the measured window) that were answered; unfinished ones are not in it. */
  requests: z.number(),
  /** Measured time, warm-up excluded. */
  durationMs: z.number(),
  /** Answers received inside the measured window per second, whenever they were sent. */
  rps: z.number(),
  requestedRate: z.number().optional(),
  latencyMs: LatencyPercentilesSchema,
  errors: LoadErrorCountsSchema,
  statusCodes: z.record(z.string(), z.number()),
  /** Measured requests per test-server worker slot (from WORKER_SLOT_HEADER); empty for other servers. */
  byWorker: z.record(z.string(), z.number()),
  /** Measured requests per entry of the request mix, in its order: latency per endpoint. */
  byMix: z.array(LoadMixResultSchema).optional(),
  bytesReceived: z.number(),
  /**
   * Measured requests the run stopped waiting for when it ended: still waiting
   * for a connection (unsent) or for an answer (unanswered). Not errors and
   * not answers: each is in latencyMs at its censored latency (the moment the
   * run gave up − its intended send), a lower bound of what it would have been.
   */
  unfinished: z.object({ unsent: z.number(), unanswered: z.number() }),
  /** Open loop: measured arrivals dropped because the backlog waiting for a connection was full. */
  dropped: z.number(),
  /** Each cause that limited the run with its reasons; empty when none did. */
  limitedBy: z.array(z.object({ cause: LoadLimitCauseSchema, reasons: z.array(z.string()) })),
  /** Open loop: how long measured arrivals waited for a free connection, and the target's response time from the actual send. */
  openLoop: z
    .object({
      connectionWaitP90Ms: z.number(),
      /** Share (0..1) of measured arrivals that found no free connection. */
      waitedShare: z.number(),
      responseMinMs: z.number().optional(),
      responseP50Ms: z.number().optional(),
    })
    .optional(),
  /** The generator cause alone (limitedBy's 'generator' entry), kept for older readers. */
  generatorLimited: z.boolean(),
  generatorLimitedReasons: z.array(z.string()),
  /** Generator thread busy time per measured request, microseconds. */
  cpuUsPerRequest: z.number(),
  generatorUtilization: z.number(),
  /** A sample of raw latencies (ms) of measured requests for compare. */
  latencySample: z.array(z.number()),
});
export type LoadResult = z.infer<typeof LoadResultSchema>;

export const LoadGeneratorMessageSchema = z.discriminatedUnion('type', [
  /** The warm-up is over: the measured window starts now (scheduled faults count from here). */
  z.object({ type: z.literal('measuring') }),
  z.object({ type: z.literal('interval'), interval: LoadIntervalSchema }),
  z.object({ type: z.literal('done'), result: LoadResultSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type LoadGeneratorMessage = z.infer<typeof LoadGeneratorMessageSchema>;
