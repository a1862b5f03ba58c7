/** Messages between the cluster supervisor (primary) and its test-server workers. */
import { z } from 'zod';

export const ServerConfigSchema = z.object({
  slot: z.number().int(),
  port: z.number().int(),
  keepAliveTimeoutMs: z.number().int(),
  poolThreads: z.number().int(),
  offload: z.boolean(),
  /** Folder of the built worker entries (the in-server pool loads its worker from there). */
  workersDir: z.string(),
  /** 0: no runtime probe in this worker. */
  probeIntervalMs: z.number().int().min(0),
});
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

/** Environment variable carrying a worker's ServerConfig as JSON. */
export const SERVER_CONFIG_ENV = 'TUNEBENCH_SERVER_CONFIG';

export const ServerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tb-metrics') }),
  z.object({ type: z.literal('tb-shutdown'), timeoutMs: z.number().int() }),
  z.object({ type: z.literal('tb-block'), ms: z.number().int() }),
  z.object({ type: z.literal('tb-leak'), mbPerSecond: z.number().int(), seconds: z.number().int() }),
]);
export type ServerCommand = z.infer<typeof ServerCommandSchema>;

/** What a worker reports per metrics request; counters are deltas since the previous report. */
export const ServerMetricsSchema = z.object({
  type: z.literal('tb-metrics'),
  requests: z.number(),
  errors: z.number(),
  latencySumMs: z.number(),
  cpuUs: z.number(),
  intervalMs: z.number(),
  eldP99Ms: z.number(),
  heapUsedMb: z.number(),
  rssMb: z.number(),
  inFlight: z.number(),
});
export type ServerMetrics = z.infer<typeof ServerMetricsSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  ServerMetricsSchema,
  z.object({ type: z.literal('tb-draining') }),
  /** The server could not listen (port taken, no permission); the worker exits after it. */
  z.object({ type: z.literal('tb-fatal'), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
