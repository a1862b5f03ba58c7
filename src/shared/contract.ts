/**
 * The one contract between the UI and the engine: every call (request and
 * response) and every stream the engine pushes, each with its zod schema.
 * Host bindings (Electron ipcMain, the web host's WebSocket), the preload
 * bridge and the renderer's client are all derived from this file.
 */
import { z } from 'zod';
import { DoctorReportSchema } from './doctor.js';
import type { ErrorPayload } from './errors.js';
import { FindingSchema } from './findings.js';
import { SafeIdSchema } from './ids.js';
import { QueryPlanSchema } from './query-plan.js';
import { MetricValueSchema, RunEventSchema, SeriesDeltaSchema, SeriesSchema, UnitSchema } from './metrics.js';
import { ArtifactSchema, RecordTableSchema, RunListItemSchema, RunRecordSchema, RunStatusSchema } from './run-record.js';
import { FunctionRowSchema, HeapDiffRowSchema, HeapSummarySchema, RuntimeSubjectInfoSchema } from './runtime.js';
import { AttachCloseSchema, AttachListSchema, AttachOpenSchema, PidSchema } from './attach.js';
import { ClusterEventSchema } from './cluster-protocol.js';
import { ClusterFaultSchema, ClusterSettingsSchema, ClusterStatusSchema } from './specs/cluster.js';
import { DbProfileInputSchema, DbProfileViewSchema, DbTargetSchema } from './specs/db.js';
import { ExperimentSpecSchema, PhaseStepSchema, TaskRefSchema, TaskResultSummarySchema, experimentKinds } from './specs/index.js';
import {
  MAX_IMPORT_BYTES,
  AnalysisOptionsSchema,
  CompareOptionsSchema,
  CompareSideRefSchema,
  ComparisonSchema,
  ExportedFileSchema,
  ReportFormatSchema,
  ReportTargetSchema,
  SweepAnalysisSchema,
} from './studies.js';
import { SweepListItemSchema, SweepRecordSchema, SweepSpecSchema, SweepStatusSchema } from './specs/sweep.js';
import {
  FolderInspectionSchema,
  KnobValuesSchema,
  ServiceCheckSchema,
  ServiceDefinitionSchema,
  ServiceLogLineSchema,
  ServiceNameSchema,
  ServiceStatusSchema,
  ServiceViewSchema,
  TrustedFolderViewSchema,
} from './specs/services.js';
import { MAX_DISPLAY_POINTS, RunDisplayInfoSchema, RunDisplayOptionsSchema } from './run-view.js';
import { LoadExportRequestSchema, LoadExportSchema } from './external.js';

const ProcessIdSchema = z.string().min(1).max(300);
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
      /** Logical CPU cores of the machine the engine runs on: more threads or workers than this get a warning. */
      cpuCount: z.number().int().min(1),
      /** Problems found at start-up that did not stop the app (e.g. a corrupt run set aside). */
      warnings: z.array(z.string()),
    }),
    'Version, host, data directory and start-up warnings.',
  ),
  'app.doctor': call(
    z.object({}).strict(),
    DoctorReportSchema,
    'Checks the environment (Node.js, the subject runtime, the data directory, embedded PostgreSQL, disk, load, Chromium) and says what to fix.',
  ),
  'spec.example': call(
    z.object({ kind: KindSchema }).strict(),
    z.object({ spec: z.record(z.string(), z.unknown()) }),
    'A valid example spec of a kind.',
  ),
  'runs.start': call(
    z.object({ spec: ExperimentSpecSchema, rerunOf: SafeIdSchema.optional() }).strict(),
    z.object({ runId: z.string() }),
    'Validates a spec and starts a run; progress arrives on run.frame and run.status.',
  ),
  'runs.stop': call(
    z.object({ runId: SafeIdSchema }).strict(),
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
  'runs.live': call(
    z
      .object({
        runId: SafeIdSchema,
        maxPointsPerSeries: z.number().int().min(4).max(MAX_DISPLAY_POINTS).default(1_000),
      })
      .strict(),
    z.object({
      runId: z.string(),
      kind: z.string(),
      name: z.string(),
      startedAt: z.string(),
      spec: z.record(z.string(), z.unknown()),
      /** The last run.frame the history includes: later frames continue it. */
      seq: z.number(),
      elapsedMs: z.number(),
      series: z.record(z.string(), SeriesSchema),
      summary: z.record(z.string(), MetricValueSchema),
      events: z.array(RunEventSchema),
      progress: z.object({ done: z.number(), total: z.number() }).optional(),
      /** The findings its frames carried last. */
      findings: z.array(FindingSchema).optional(),
    }),
    'A running run\'s spec and everything its frames carried so far (each series cut to maxPointsPerSeries, min and max per bucket), for a page opened or reloaded mid-run; TB_RUN_NOT_ACTIVE once it has ended.',
  ),
  'runs.list': call(
    z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(500),
        /** Only runs of this kind. */
        kind: z.string().min(1).max(50).optional(),
        /** Only runs whose name, id, settings or sweep contain every word of this (case-insensitive). */
        text: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ runs: z.array(RunListItemSchema), total: z.number(), warnings: z.array(z.string()) }),
    'Saved runs, newest first, narrowed to a kind and words if asked: one page (offset, limit) of the total that pass.',
  ),
  'runs.get': call(
    z.object({ runId: SafeIdSchema, display: RunDisplayOptionsSchema.optional() }).strict(),
    z.object({
      run: RunRecordSchema,
      display: RunDisplayInfoSchema.optional(),
      /** Set when the run finished but could not be written to the data directory: it lives in memory until saved again. */
      unsaved: z.object({ reason: z.string() }).optional(),
    }),
    'One saved run record; with display, a view to draw: each series cut to maxPointsPerSeries (min and max per bucket) and distributions without their values unless asked.',
  ),
  'runs.saveAgain': call(
    z.object({ runId: SafeIdSchema }).strict(),
    z.object({ runId: z.string() }),
    'Tries again to save a finished run that could not be written (disk full, read-only); TB_STORE_WRITE while it still cannot.',
  ),
  'runs.delete': call(
    z.object({ runId: SafeIdSchema }).strict(),
    z.object({ runId: z.string() }),
    'Deletes a saved run record.',
  ),
  'runs.artifact': call(
    z.object({ runId: SafeIdSchema, file: SafeIdSchema }).strict(),
    ExportedFileSchema,
    'One file of a saved run (heap snapshot, CPU or allocation profile), found by its name in the run\'s artifact list, never by a path; the caller saves or downloads it.',
  ),
  'tasks.run': call(
    z.object({ task: TaskRefSchema }).strict(),
    z.object({ task: z.string(), result: TaskResultSummarySchema, durationMs: z.number() }),
    'Runs one task once in a worker thread and returns its result summary and duration.',
  ),
  'sweeps.preview': call(
    z.object({ spec: SweepSpecSchema }).strict(),
    z.object({
      points: z.number(),
      runs: z.number(),
      /** From the kind's planned durations, else from saved runs of the kind; null when neither exists. */
      estimatedMs: z.number().nullable(),
      /** The sum of the runs' time limits, when the kind has them. */
      upperBoundMs: z.number().nullable(),
      basis: z.string(),
    }),
    'How many runs a sweep spec makes and how long it should take, without starting it.',
  ),
  'sweeps.start': call(
    z.object({ spec: SweepSpecSchema }).strict(),
    z.object({ sweepId: z.string() }),
    'Validates a sweep spec (every point) and starts it; progress arrives on sweep.progress.',
  ),
  'sweeps.resume': call(
    z.object({ sweepId: SafeIdSchema }).strict(),
    z.object({ sweepId: z.string(), missing: z.number() }),
    'Runs what a stopped, failed or interrupted sweep is missing (every point and repeat without a completed run), into the same sweep; progress on sweep.progress.',
  ),
  'sweeps.stop': call(
    z.object({ sweepId: SafeIdSchema }).strict(),
    z.object({ sweepId: z.string(), status: SweepStatusSchema }),
    'Stops a sweep after stopping its current run; the finished runs are kept.',
  ),
  'sweeps.list': call(
    z.object({}).strict(),
    z.object({ sweeps: z.array(SweepListItemSchema), active: z.array(z.string()), warnings: z.array(z.string()) }),
    'Saved sweeps, newest first, and the ids of those running.',
  ),
  'sweeps.get': call(
    z.object({ sweepId: SafeIdSchema, analysis: AnalysisOptionsSchema.optional() }).strict(),
    z.object({ sweep: SweepRecordSchema, analysis: SweepAnalysisSchema }),
    'A sweep with its analysis: every point with intervals, the knee and the best setting with evidence.',
  ),
  'sweeps.delete': call(
    z.object({ sweepId: SafeIdSchema }).strict(),
    z.object({ sweepId: z.string() }),
    'Deletes a saved sweep record; its runs stay.',
  ),
  'runs.compare': call(
    z
      .object({
        baseline: CompareSideRefSchema,
        candidate: CompareSideRefSchema,
        options: CompareOptionsSchema.optional(),
        /** Judge the intervals even when either side ran on a busy machine (otherwise the comparison is inconclusive). */
        allowNoisy: z.boolean().optional(),
        /** The metric the verdict is on; the kind's default (pool, load, db: throughput; memory: leak slope) when absent. */
        objective: z.string().min(1).max(200).optional(),
      })
      .strict(),
    z.object({ comparison: ComparisonSchema }),
    'Compares two runs, groups of runs or sweep points of one kind (different kinds: TB_COMPARE_KINDS): a verdict on the objective first, then every metric once with its difference, interval (t on per-run values with repeats; block bootstrap, indicative, for one run per side) and significance.',
  ),
  'report.export': call(
    z.object({ target: ReportTargetSchema, format: ReportFormatSchema }).strict(),
    ExportedFileSchema,
    'A run, sweep or comparison as a whole file (html, md, csv or json); the caller saves or downloads it.',
  ),
  'runs.import': call(
    z.object({ fileName: z.string().max(500).default('the file'), content: z.string().max(MAX_IMPORT_BYTES) }).strict(),
    z.object({
      runs: z.array(z.string()),
      sweeps: z.array(z.string()),
      /** Already in the data directory with the same content. */
      skipped: z.array(z.string()),
      /** Ids taken by something else here: imported under a new id. */
      renamed: z.array(z.object({ type: z.enum(['run', 'sweep']), from: z.string(), to: z.string() })),
    }),
    'Imports an exported JSON report or run record, or the results of another load engine (k6\'s JSON output, Artillery\'s JSON report) as a load run: validated whole first (a bad or foreign file is rejected with TB_IMPORT_INVALID and nothing is written), new files only, a clashing id imported under a new one.',
  ),
  'load.export': call(
    LoadExportRequestSchema,
    LoadExportSchema,
    'A load spec as a k6 script or an Artillery script, with notes on what the other engine runs differently and what the spec has that it cannot express (faults, a rolling restart); the caller saves or downloads it.',
  ),
  'db.profiles.list': call(
    z.object({}).strict(),
    z.object({
      profiles: z.array(DbProfileViewSchema),
      /** Where passwords are kept, and a warning to show when that is weak (memory only, basic_text). */
      secrets: z.object({ backend: z.string(), persistent: z.boolean(), warning: z.string().optional() }),
    }),
    'Saved connection profiles (never their passwords) and where passwords are kept.',
  ),
  'db.profiles.save': call(
    z.object({ profile: DbProfileInputSchema }).strict(),
    z.object({ profile: DbProfileViewSchema }),
    'Creates or replaces a profile; its password (field or URL) goes to the secret store, never to disk in plain text.',
  ),
  'db.profiles.delete': call(
    z.object({ id: z.string().min(1).max(64) }).strict(),
    z.object({ id: z.string() }),
    'Deletes a profile and its stored password.',
  ),
  'db.testConnection': call(
    z.union([z.object({ target: DbTargetSchema }).strict(), z.object({ profile: DbProfileInputSchema }).strict()]),
    z.object({
      target: z.string(),
      serverVersion: z.string(),
      connectMs: z.number(),
      roundTripMs: z.number(),
      pgStatStatements: z.boolean(),
    }),
    'Connects once to "embedded", a saved profile id, a password-free URL or unsaved profile input; server version and latency, or the exact error.',
  ),
  'db.dropSchema': call(
    z.object({ target: DbTargetSchema }).strict(),
    z.object({ target: z.string(), dropped: z.boolean() }),
    'Drops Tunebench\'s own schema (tunebench) on a target, and nothing else.',
  ),
  'db.embedded.status': call(
    z.object({}).strict(),
    z.object({
      state: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
      port: z.number().optional(),
      version: z.string().optional(),
      pgStatStatements: z.boolean(),
      /** Where the cluster lives. */
      dataDir: z.string(),
      /** Why the cluster is kept outside Tunebench's data directory, when it is (root, a folder the "postgres" user cannot enter). */
      dataDirNote: z.string().optional(),
      error: z.string().optional(),
    }),
    'State of the embedded PostgreSQL server (it starts on first use).',
  ),
  'db.run.tables': call(
    z.object({ runId: SafeIdSchema }).strict(),
    z.object({ runId: z.string(), live: z.boolean(), tables: z.record(z.string(), RecordTableSchema) }),
    'Query statistics, slow-query log and other tables of a db run: live while it runs, from its record after.',
  ),
  'db.explain': call(
    z.object({ runId: SafeIdSchema, hash: z.string().min(1).max(64) }).strict(),
    z.object({
      runId: z.string(),
      hash: z.string(),
      statement: z.string(),
      target: z.string(),
      values: z.array(z.string()),
      command: z.string(),
      role: z.string().optional(),
      plan: QueryPlanSchema,
    }),
    'The plan of one statement (by its hash in the run\'s query statistics) of a saved db run, with sample values drawn by the workload\'s rules: EXPLAIN (ANALYZE, BUFFERS) in a rolled-back transaction on the embedded server (your SQL as its restricted role, read only), plain EXPLAIN on a user\'s server; a statement timeout either way.',
  ),
  'runtime.processes': call(
    z.object({}).strict(),
    z.object({ processes: z.array(RuntimeSubjectInfoSchema) }),
    'Processes that can be inspected: the engine itself, every probed subject of an active run, and every process attached to.',
  ),
  'runtime.heapSnapshot': call(
    z.object({ processId: ProcessIdSchema, confirmLarge: z.boolean().default(false) }).strict(),
    z.object({
      artifact: ArtifactSchema,
      path: z.string(),
      summary: HeapSummarySchema,
      /** What grew since the previous snapshot of the same process. */
      diff: z.array(HeapDiffRowSchema).optional(),
    }),
    'Writes a .heapsnapshot of a process into its run folder and summarises it by constructor; a very large heap needs confirmLarge.',
  ),
  'runtime.cpuProfile': call(
    z.object({ processId: ProcessIdSchema, seconds: z.number().min(0.1).max(300) }).strict(),
    z.object({ artifact: ArtifactSchema, path: z.string(), totalMs: z.number(), samples: z.number(), top: z.array(FunctionRowSchema) }),
    'Records a .cpuprofile of a process for N seconds (inspector protocol) with its top functions by self time.',
  ),
  'runtime.allocationProfile': call(
    z.object({ processId: ProcessIdSchema, seconds: z.number().min(0.1).max(300) }).strict(),
    z.object({ artifact: ArtifactSchema, path: z.string(), totalBytes: z.number(), top: z.array(FunctionRowSchema) }),
    'Records a sampling heap profile of a process for N seconds with its top allocating functions.',
  ),
  'runtime.file': call(
    z.object({ file: SafeIdSchema, runId: SafeIdSchema.optional() }).strict(),
    ExportedFileSchema,
    'A file an inspection wrote (heap snapshot, CPU or allocation profile), by its name: in its run\'s folder (runId, while the run goes on too) or, without one, in the data directory\'s runtime folder (the workbench\'s own process, attached processes); the caller saves it or reads it (a CPU profile\'s flame graph).',
  ),
  'runtime.gc': call(
    z.object({ processId: ProcessIdSchema }).strict(),
    z.object({ processId: z.string() }),
    'Forces a full GC in a process that allows it (started with --expose-gc).',
  ),
  'runtime.phaseTrace': call(
    z.object({}).strict(),
    z.object({ steps: z.array(PhaseStepSchema) }),
    'Records the order of nextTick, promise, timer, immediate and I/O callbacks in a fresh sandbox process.',
  ),
  'attach.list': call(
    z.object({}).strict(),
    AttachListSchema,
    'Node.js processes on this machine (not the workbench): pid, shortened command line, user, whether its inspector is open, Node version when known, and whether it may be attached (only the workbench user\'s own).',
  ),
  'attach.open': call(
    z.object({ pid: PidSchema }).strict(),
    AttachOpenSchema,
    'Attaches to a process the last attach.list returned: sends it SIGUSR1 (unless its inspector is open), connects to its inspector on 127.0.0.1, and lists it among runtime.processes for snapshots and profiles.',
  ),
  'attach.close': call(
    z.object({ pid: PidSchema }).strict(),
    AttachCloseSchema,
    'Detaches from a process: it keeps running, and the inspector Tunebench opened is closed again (one left open if it was open before).',
  ),
  'cluster.start': call(
    z.object({ settings: ClusterSettingsSchema.prefault({}) }).strict(),
    ClusterStatusSchema,
    'Starts the standing test-server cluster (one at a time); resolves when every worker listens.',
  ),
  'cluster.stop': call(
    z.object({}).strict(),
    ClusterStatusSchema,
    'Drains and stops the standing cluster; resolves when its processes have exited.',
  ),
  'cluster.status': call(z.object({}).strict(), ClusterStatusSchema, 'The standing cluster: state, address and each worker.'),
  'cluster.fault': call(
    z.object({ fault: ClusterFaultSchema }).strict(),
    z.object({ message: z.string() }),
    'Injects a fault into one worker: kill -9, block its event loop, or leak memory.',
  ),
  'cluster.rollingRestart': call(
    z.object({}).strict(),
    z.object({ durationMs: z.number() }),
    'Replaces every worker one at a time, each after its successor listens; revives crash-looped slots.',
  ),
  'services.list': call(
    z.object({}).strict(),
    z.object({ services: z.array(ServiceViewSchema), folders: z.array(TrustedFolderViewSchema) }),
    'The trusted service definitions (saved in the app, a services file named on the command line, trusted folders), each with its source and, when started by hand, its status; and the trusted folders.',
  ),
  'services.save': call(
    z.object({ service: ServiceDefinitionSchema, previousName: ServiceNameSchema.optional() }).strict(),
    z.object({ service: ServiceDefinitionSchema }),
    'Creates or replaces a service definition saved in the app (its directory an absolute path); previousName renames one.',
  ),
  'services.delete': call(
    z.object({ name: ServiceNameSchema }).strict(),
    z.object({ name: z.string() }),
    'Deletes a service definition saved in the app.',
  ),
  'services.start': call(
    z.object({ name: ServiceNameSchema, knobs: KnobValuesSchema.default({}) }).strict(),
    ServiceStatusSchema,
    'Starts a defined service by hand with these knob values (checked against its knobs); resolves when it is ready, or fails with why and its last log lines, leaving nothing running. Its output arrives on service.log, its state on service.status.',
  ),
  'services.stop': call(
    z.object({ name: ServiceNameSchema }).strict(),
    ServiceStatusSchema,
    'Stops a service started by hand: SIGTERM to its process group, SIGKILL after its stop timeout; resolves when all of it is gone.',
  ),
  'services.check': call(
    z.object({ name: ServiceNameSchema, knobs: KnobValuesSchema.default({}) }).strict(),
    ServiceCheckSchema,
    'Starts a defined service, waits for readiness and its probes, stops it, and says what it saw (the command as run, readiness time, processes, how it stopped, its last lines).',
  ),
  'services.log': call(
    z.object({ name: ServiceNameSchema }).strict(),
    z.object({ name: z.string(), lines: z.array(ServiceLogLineSchema) }),
    'The last lines a service started by hand wrote (for a page opened after it started).',
  ),
  'services.folder.inspect': call(
    z.object({ folder: z.string().min(1).max(4_096) }).strict(),
    FolderInspectionSchema,
    'What a folder\'s tunebench.services.json defines (names, commands, directories), without trusting it: shown before the user decides.',
  ),
  'services.folder.trust': call(
    z.object({ folder: z.string().min(1).max(4_096), trust: z.boolean() }).strict(),
    z.object({ folders: z.array(TrustedFolderViewSchema) }),
    'Trusts a folder by its absolute path (its services file\'s commands may run from then on; stored in the data directory), or withdraws the trust.',
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
    /** The run's findings so far (at most once a second, once there is enough data); sent when they change, the latest stand. */
    findings: z.array(FindingSchema).optional(),
  }),
  'run.status': z.object({
    runId: z.string(),
    kind: z.string(),
    name: z.string(),
    status: RunStatusSchema,
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  /** A sweep's progress: after each run starts and ends. */
  'sweep.progress': z.object({
    sweepId: z.string(),
    name: z.string(),
    status: SweepStatusSchema,
    /** Runs finished (warm-ups included) and planned. */
    done: z.number(),
    total: z.number(),
    /** The point being run (0-based) and how many there are. */
    point: z.number(),
    points: z.number(),
    runId: z.string().optional(),
    elapsedMs: z.number(),
    /** Mean run time so far × runs left; null before the first run ends. */
    etaMs: z.number().nullable(),
  }),
  /** The standing cluster, on every metrics report (about once a second) and state change. */
  'cluster.status': ClusterStatusSchema,
  /** Worker starts, exits, restarts, crash loops, health replacements and faults of the standing cluster. */
  'cluster.event': ClusterEventSchema,
  /** A service started by hand: on every state change and about once a second while it runs (its processes' heap, CPU, delay). */
  'service.status': ServiceStatusSchema,
  /** The latest output lines of a service (started by hand, or by the run named), a few batches a second. */
  'service.log': z.object({ name: z.string(), runId: z.string().optional(), lines: z.array(ServiceLogLineSchema) }),

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

// In its own module, so the renderer's shell can create its client without building every schema above.
export { createClient } from './client.js';

/** Channel names used by the Electron binding; kept here so preload and main agree. */
export const ipcChannels = {
  call: 'tunebench:call',
  stream: 'tunebench:stream',
} as const;
