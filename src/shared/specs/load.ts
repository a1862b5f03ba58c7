/** The load kind's spec: what load to send, at which target, for how long. The standing cluster's own settings live in cluster.ts. */
import { z } from 'zod';
import { ClusterFaultSchema, ClusterSettingsSchema } from './cluster.js';
import { LeakRuleSchema } from './memory.js';
import { KnobValuesSchema, ServiceNameSchema } from './services.js';

const int = () => z.number().int();

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

export const RequestMixEntrySchema = z
  .object({
    method: z.enum(HTTP_METHODS).default('GET'),
    path: z.string().min(1).max(2_000).regex(/^\/[^\s]*$/, 'must start with / and contain no spaces'),
    weight: z.number().positive().max(1_000_000).default(1),
    body: z.string().max(1_048_576).optional(),
    headers: z.record(z.string().min(1).max(200), z.string().max(8_192)).optional(),
  })
  .strict();
export type RequestMixEntry = z.infer<typeof RequestMixEntrySchema>;

export const LoadModeSchema = z.enum(['closed', 'open']);

export const LoadSettingsSchema = z
  .object({
    /** closed: each connection sends the next request when the last answers; open: a fixed arrival rate. */
    mode: LoadModeSchema.default('closed'),
    connections: int().min(1).max(1_000).default(10),
    /** Requests per second (open loop only). */
    rate: z.number().min(1).max(1_000_000).optional(),
    durationSec: z.number().min(0.2).max(3_600).default(10),
    /** Stop after this many measured requests, if that comes before the duration. */
    requests: int().min(1).max(100_000_000).optional(),
    /** Excluded from the results. */
    warmupSec: z.number().min(0).max(600).default(1),
    timeoutMs: int().min(1).max(600_000).default(10_000),
    mix: z.array(RequestMixEntrySchema).min(1).max(50).default([{ method: 'GET', path: '/health', weight: 1 }]),
  })
  .strict()
  .superRefine((load, ctx) => {
    if (load.mode === 'open' && load.rate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: 'open loop needs a rate (requests/s)' });
    }
    if (load.mode === 'closed' && load.rate !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: 'rate applies to open loop only' });
    }
  });
export type LoadSettings = z.infer<typeof LoadSettingsSchema>;
export type LoadSettingsInput = z.input<typeof LoadSettingsSchema>;

/** shared/ has no URL class (no DOM or Node types), so the shape is checked here and parsed where it is used. */
const HttpUrlSchema = z
  .string()
  .max(2_000)
  .regex(/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/, 'must be an http:// or https:// URL without credentials');

export const LoadTargetSchema = z.discriminatedUnion('type', [
  /** A cluster started for this run and stopped when it ends. */
  z.object({ type: z.literal('cluster'), cluster: ClusterSettingsSchema.prefault({}) }).strict(),
  /** The workbench's standing cluster (cluster.start); it keeps running after the run. */
  z.object({ type: z.literal('running-cluster') }).strict(),
  /** Any HTTP service, e.g. the user's own. */
  z.object({ type: z.literal('url'), url: HttpUrlSchema }).strict(),
  /**
   * A service the user defined (services.ts), started for this run with these
   * knob values and stopped when it ends. Only names and values: the command,
   * directory and environment come from the trusted definition of that name.
   */
  z
    .object({
      type: z.literal('service'),
      service: ServiceNameSchema,
      knobs: KnobValuesSchema.default({}),
      /** Overrides the definition's database: "embedded" hands the service a DATABASE_URL on the embedded PostgreSQL. */
      database: z.enum(['none', 'embedded']).optional(),
      /** Runtime probe interval in every Node process of the service. */
      probeIntervalMs: int().min(100).max(60_000).default(1_000),
      /** The leak detector's rule for each service process (defaults as for memory runs). */
      leakRule: LeakRuleSchema.optional(),
    })
    .strict(),
]);
export type LoadTarget = z.infer<typeof LoadTargetSchema>;

/** A fault injected into the run, atSec after the warm-up ends (cluster targets only). */
export const ScheduledFaultSchema = z
  .object({ atSec: z.number().min(0).max(3_600), fault: ClusterFaultSchema })
  .strict();

export const LoadSpecSchema = z
  .object({
    kind: z.literal('load'),
    name: z.string().max(200).optional(),
    target: LoadTargetSchema.default({ type: 'cluster', cluster: ClusterSettingsSchema.parse({}) }),
    load: LoadSettingsSchema.prefault({}),
    sampleIntervalMs: int().min(100).max(10_000).default(1_000),
    faults: z.array(ScheduledFaultSchema).max(50).default([]),
    /** A rolling restart of all workers at this second (cluster targets only). */
    rollingRestartAtSec: z.number().min(0).max(3_600).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if ((spec.target.type === 'url' || spec.target.type === 'service') && (spec.faults.length || spec.rollingRestartAtSec !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['faults'], message: 'faults and rolling restarts need a cluster target' });
    }
  });
export type LoadSpec = z.infer<typeof LoadSpecSchema>;
export type LoadSpecInput = z.input<typeof LoadSpecSchema>;

export const exampleLoadSpec: LoadSpecInput = {
  kind: 'load',
  name: 'closed loop on a 2-worker cluster',
  target: { type: 'cluster', cluster: { workers: 2 } },
  load: {
    mode: 'closed',
    connections: 10,
    durationSec: 10,
    warmupSec: 1,
    mix: [
      { method: 'GET', path: '/health', weight: 8 },
      { method: 'GET', path: '/io?ms=20', weight: 2 },
    ],
  },
  sampleIntervalMs: 1_000,
};
