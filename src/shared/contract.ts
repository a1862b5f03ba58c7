/**
 * The one contract between the UI and the engine: every call (request and
 * response) and every stream the engine pushes, each with its zod schema.
 * Host bindings (Electron ipcMain, the web host's WebSocket), the preload
 * bridge and the renderer's client are all derived from this file.
 */
import { z } from 'zod';
import { ErrorPayload, TunebenchError } from './errors.js';
import { MetricValueSchema, RunEventSchema, SeriesDeltaSchema, UnitSchema } from './metrics.js';
import { RunListItemSchema, RunRecordSchema, RunStatusSchema } from './run-record.js';
import { ExperimentSpecSchema, TaskRefSchema, TaskResultSummarySchema, experimentKinds } from './specs/index.js';

const RunIdSchema = z.string().min(1).max(200).regex(/^[\w.-]+$/, 'must be a run id (letters, digits, . _ -)');
const KindSchema = z.enum(experimentKinds as [string, ...string[]]);

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, doc: string) => ({
  request,
  response,
  doc,
});

export const calls = {
  'app.info': call(
    z.object({}).strict(),
    z.object({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      dataDir: z.string(),
      kinds: z.array(z.string()),
      /** Problems found at start-up that did not stop the app (e.g. a corrupt run set aside). */
      warnings: z.array(z.string()),
    }),
    'Version, host, data directory and start-up warnings.',
  ),
  'spec.example': call(
    z.object({ kind: KindSchema }).strict(),
    z.object({ spec: z.record(z.string(), z.unknown()) }),
    'A valid example spec of a kind.',
  ),
  'runs.start': call(
    z.object({ spec: ExperimentSpecSchema, rerunOf: RunIdSchema.optional() }).strict(),
    z.object({ runId: z.string() }),
    'Validates a spec and starts a run; progress arrives on run.frame and run.status.',
  ),
  'runs.stop': call(
    z.object({ runId: RunIdSchema }).strict(),
    z.object({ runId: z.string(), status: RunStatusSchema }),
    'Stops a running run; it is saved as stopped with what it measured.',
  ),
  'runs.active': call(
    z.object({}).strict(),
    z.object({
      runs: z.array(z.object({ runId: z.string(), kind: z.string(), name: z.string(), startedAt: z.string() })),
    }),
    'Runs in progress, so a reconnecting UI can follow them.',
  ),
  'runs.list': call(
    z.object({}).strict(),
    z.object({ runs: z.array(RunListItemSchema), warnings: z.array(z.string()) }),
    'Saved runs, newest first.',
  ),
  'runs.get': call(
    z.object({ runId: RunIdSchema }).strict(),
    z.object({ run: RunRecordSchema }),
    'One saved run record.',
  ),
  'runs.delete': call(
    z.object({ runId: RunIdSchema }).strict(),
    z.object({ runId: z.string() }),
    'Deletes a saved run record.',
  ),
  'tasks.run': call(
    z.object({ task: TaskRefSchema }).strict(),
    z.object({ task: z.string(), result: TaskResultSummarySchema, durationMs: z.number() }),
    'Runs one task once in a worker thread and returns its result summary and duration.',
  ),
} as const;

export const streams = {
  /** Batched metrics of one run: at most 10 frames per second per run. */
  'run.frame': z.object({
    runId: z.string(),
    seq: z.number().int(),
    elapsedMs: z.number(),
    series: z.record(z.string(), SeriesDeltaSchema.extend({ unit: UnitSchema, label: z.string().optional() })),
    summary: z.record(z.string(), MetricValueSchema),
    events: z.array(RunEventSchema),
    progress: z.object({ done: z.number(), total: z.number() }).optional(),
  }),
  'run.status': z.object({
    runId: z.string(),
    kind: z.string(),
    name: z.string(),
    status: RunStatusSchema,
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  log: z.object({
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
    at: z.string(),
  }),
} as const;

export const contract = { calls, streams } as const;

export type CallName = keyof typeof calls;
export type StreamName = keyof typeof streams;
export type CallRequest<N extends CallName> = z.input<(typeof calls)[N]['request']>;
export type CallRequestParsed<N extends CallName> = z.output<(typeof calls)[N]['request']>;
export type CallResponse<N extends CallName> = z.output<(typeof calls)[N]['response']>;
export type StreamPayload<S extends StreamName> = z.output<(typeof streams)[S]>;

export const callNames = Object.keys(calls) as CallName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name);
}

/** What every call returns across a boundary: a value or a catalogued error. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export type Disposer = () => void;

/**
 * The transport a host provides to the renderer: Electron's preload exposes it
 * as `window.tunebench`; in a browser the WebSocket bridge implements it. Both
 * carry only contract names and plain payloads.
 */
export interface TunebenchBridge {
  call(name: string, payload: unknown): Promise<Envelope>;
  subscribe(stream: string, listener: (payload: unknown) => void): Disposer;
}

/** The typed client the renderer (and tests) use, derived from the contract. */
export interface TunebenchClient {
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>>;
  on<S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void): Disposer;
}

export function createClient(bridge: TunebenchBridge): TunebenchClient {
  return {
    async call(name, request) {
      const envelope = await bridge.call(name, request);
      if (!envelope.ok) throw TunebenchError.fromPayload(envelope.error);
      return envelope.value as never;
    },
    on(stream, listener) {
      return bridge.subscribe(stream, (payload) => listener(payload as never));
    },
  };
}

/** Channel names used by the Electron binding; kept here so preload and main agree. */
export const ipcChannels = {
  call: 'tunebench:call',
  stream: 'tunebench:stream',
} as const;
