import { z } from 'zod';
import { refuseMovedFields } from './host-settings.js';

const int = () => z.number().int();

/** When a worker that exits unexpectedly comes back, and when the supervisor gives up on a slot. */
export const RestartPolicySchema = z
  .object({
    initialBackoffMs: int().min(10).max(60_000).default(100),
    maxBackoffMs: int().min(10).max(600_000).default(15_000),
    /** A worker that ran this long before crashing starts again from the initial backoff. */
    stableAfterMs: int().min(100).max(3_600_000).default(30_000),
    /** More than this many crashes inside the window puts the slot in crash-loop. */
    crashLoopCount: int().min(1).max(1_000).default(5),
    crashLoopWindowMs: int().min(100).max(3_600_000).default(60_000),
  })
  .strict();

/** Policies that replace a live but unhealthy worker gracefully; each can be turned off. */
export const HealthPolicySchema = z
  .object({
    errorRate: z
      .object({
        enabled: z.boolean().default(true),
        /** Fraction of 5xx responses (0..1). */
        threshold: z.number().min(0).max(1).default(0.1),
        /** The rate is judged only over at least this many requests. */
        minRequests: int().min(1).max(1_000_000).default(100),
      })
      .strict()
      .prefault({}),
    eventLoopDelay: z
      .object({ enabled: z.boolean().default(true), p99Ms: z.number().min(1).max(600_000).default(2_000) })
      .strict()
      .prefault({}),
    heap: z
      .object({ enabled: z.boolean().default(true), limitMb: int().min(16).max(65_536).default(1_024) })
      .strict()
      .prefault({}),
  })
  .strict();

export const SchedulingPolicySchema = z.enum(['round-robin', 'os']);

/**
 * The cluster a load run starts or `cluster.start` runs. Which Node.js runs it
 * is the host's setting (--node, the desktop settings), not one of these: a
 * spec that still has "nodePath" is refused with where that setting lives now.
 */
export const ClusterSettingsSchema = z
  .object(
    {
      workers: int().min(1).max(64).default(2),
      /** 0 picks a free port once; restarts keep it. */
      port: int().min(0).max(65_535).default(0),
      scheduling: SchedulingPolicySchema.default('round-robin'),
      /** Per-worker --max-old-space-size. */
      maxOldSpaceMb: int().min(16).max(65_536).optional(),
      uvThreadpoolSize: int().min(1).max(1_024).optional(),
      keepAliveTimeoutMs: int().min(0).max(600_000).default(5_000),
      /** Threads of the worker-thread pool inside each server. */
      poolThreads: int().min(1).max(64).default(2),
      /** Run /fibonacci, /primes, /matrix-multiply on the in-server pool (true) or on the event loop (false). */
      offload: z.boolean().default(true),
      /** Graceful shutdown: in-flight requests get this long before SIGKILL. */
      shutdownTimeoutMs: int().min(100).max(600_000).default(10_000),
      /** How often the supervisor asks each worker for its metrics. */
      metricsIntervalMs: int().min(200).max(60_000).default(1_000),
      /** Runtime probe interval in the supervisor and every test server (heap spaces, GC, snapshots); 0 turns the probe off. */
      probeIntervalMs: int()
        .min(0)
        .max(60_000)
        .refine((ms) => ms === 0 || ms >= 100, 'probeIntervalMs must be 0 (probe off) or between 100 and 60000')
        .default(1_000),
      restart: RestartPolicySchema.prefault({}),
      health: HealthPolicySchema.prefault({}),
    },
    { error: refuseMovedFields },
  )
  .strict();
export type ClusterSettings = z.infer<typeof ClusterSettingsSchema>;
export type ClusterSettingsInput = z.input<typeof ClusterSettingsSchema>;

const slot = () => int().min(0).max(63);

/** Fault buttons: each acts on one worker slot. */
export const ClusterFaultSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('kill'), slot: slot() }).strict(),
  z.object({ action: z.literal('block'), slot: slot(), ms: int().min(1).max(60_000).default(1_000) }).strict(),
  z
    .object({
      action: z.literal('leak'),
      slot: slot(),
      mbPerSecond: int().min(1).max(256).default(16),
      seconds: int().min(1).max(600).default(10),
    })
    .strict(),
]);
export type ClusterFault = z.infer<typeof ClusterFaultSchema>;

export const WorkerStateSchema = z.enum(['starting', 'running', 'stopping', 'backoff', 'crash-loop', 'stopped']);
export type WorkerState = z.infer<typeof WorkerStateSchema>;

/** One worker slot as the supervisor last saw it. Counters are totals over the slot's lifetimes. */
export const WorkerStatusSchema = z.object({
  slot: z.number(),
  pid: z.number().optional(),
  state: WorkerStateSchema,
  uptimeMs: z.number(),
  requests: z.number(),
  errors: z.number(),
  /** Requests per second over the last metrics interval. */
  rps: z.number(),
  /** Mean server-side response time over the last interval. */
  latencyMs: z.number(),
  eldP99Ms: z.number(),
  cpuPercent: z.number(),
  heapUsedMb: z.number(),
  rssMb: z.number(),
  restarts: z.number(),
  /** Milliseconds since the worker last answered a metrics request (a blocked loop does not answer). */
  lastReportMs: z.number(),
  lastExit: z
    .object({ code: z.number().nullable(), signal: z.string().nullable(), reason: z.string() })
    .optional(),
});
export type WorkerStatus = z.infer<typeof WorkerStatusSchema>;

export const ClusterStateSchema = z.enum(['stopped', 'starting', 'running', 'stopping']);

export const ClusterStatusSchema = z.object({
  state: ClusterStateSchema,
  address: z.string().optional(),
  port: z.number().optional(),
  supervisorPid: z.number().optional(),
  runtime: z.string().optional(),
  settings: ClusterSettingsSchema.optional(),
  workers: z.array(WorkerStatusSchema),
});
export type ClusterStatus = z.infer<typeof ClusterStatusSchema>;
