import { join } from 'node:path';
import {
  CallName,
  CallRequestParsed,
  CallResponse,
  calls,
  Disposer,
  Envelope,
  isCallName,
  StreamName,
  StreamPayload,
} from '../../shared/contract.js';
import { toErrorPayload, TunebenchError } from '../../shared/errors.js';
import { MAX_IMPORT_BYTES } from '../../shared/studies.js';
import { filterRunList } from '../../shared/run-record.js';
import { exampleSpecs, ExperimentKind, experimentKinds } from '../../shared/specs/index.js';
import { runDisplayView } from '../../shared/run-view.js';
import { describeZodError } from '../../shared/validation.js';
import { ChildRegistry } from './processes/child-registry.js';
import { ClusterService } from './cluster/cluster-service.js';
import { DbService } from './postgres/db-service.js';
import type { SecretStore } from './postgres/secret-store.js';
import { runDoctor } from './doctor.js';
import { StudyService } from './studies/service.js';
import type { ExperimentKindRunner } from './kinds/kind.js';
import { machineCores } from './kinds/guardrail.js';
import { createKindRegistry, headlineFor, settingsFor } from './kinds/index.js';
import { runTaskOnce } from './kinds/pool/run-task.js';
import { NodeRuntimeResolver, type NodeRuntimeSetting } from './processes/node-runtime.js';
import { maxConcurrentRuns, RunManager } from './run-manager.js';
import { engineProbeInterval } from './runtime/engine-runtime.js';
import { recordPhaseTrace } from './runtime/phase-trace.js';
import { AttachService } from './runtime/attach.js';
import { registerEngineProcess, runtimeSubjects } from './runtime/subjects.js';
import { recoverInterruptedRuns } from './run-journal.js';
import { RunStore } from './store.js';
import { ServiceCatalog } from './services/catalog.js';
import { ServiceManager } from './services/service-manager.js';
import { TUNEBENCH_VERSION } from './version.js';
import { explainRunStatement } from './kinds/db/explain.js';
import { readInspectionFile } from './runtime/runtime-files.js';

export interface EngineOptions {
  /** Where runs and settings live. */
  dataDir: string;
  /** Built worker entry points (out/main/workers). */
  workersDir: string;
  /** Which host binds this engine; recorded in every run's environment. */
  host: 'electron' | 'web' | 'cli' | 'test';
  /** Parse every response against the contract too (tests turn this on). */
  validateResponses?: boolean;
  /** Where database passwords are kept; the Electron shell passes a safeStorage-backed store. Default: memory + PGPASSWORD. */
  secrets?: SecretStore;
  /** Fixed port for the embedded PostgreSQL server; default: a free port at each start. */
  embeddedPostgresPort?: number;
  /** How often every run samples the engine's own process (the engine.* series); 100 ms .. 60 s, default 1 s. */
  runtimeProbeIntervalMs?: number;
  /**
   * The Node.js that subject processes (cluster, memory sandbox, phase trace) run on: a host setting
   * (CLI and web host --node, the desktop app's settings.json), never a spec field. Default: `node` on PATH.
   */
  nodeRuntime?: NodeRuntimeSetting;
  /** Runs allowed at once (a host setting: --max-runs); default 4. */
  maxConcurrentRuns?: number;
  /**
   * Services files named on the command line (`--services tunebench.services.json`): their
   * definitions are trusted for this engine only. A file that cannot be read fails Engine.create.
   */
  servicesFiles?: string[];
}

type StreamListener = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;
type Handlers = { [N in CallName]: (request: CallRequestParsed<N>) => Promise<CallResponse<N>> };

/**
 * The engine facade every host binds: one dispatch for all contract calls,
 * one listener list for all streams. It never imports electron.
 */
export class Engine {
  private readonly listeners = new Set<StreamListener>();
  private readonly kinds: Map<string, ExperimentKindRunner<any>>;
  private readonly store: RunStore;
  readonly runs: RunManager;
  /** Embedded PostgreSQL, connection profiles and their secrets. */
  readonly db: DbService;
  /** Sweeps, compare, reports and import over every kind's runs. */
  readonly studies: StudyService;
  /** Owner of every child process the engine starts. */
  readonly children = new ChildRegistry();
  /** The standing test-server cluster (cluster.* calls, `tunebench serve`). */
  readonly clusters: ClusterService;
  /** The trusted service definitions: saved in the app, named on the command line, in trusted folders. */
  readonly serviceCatalog: ServiceCatalog;
  /** Services started by hand and checked (services.* calls, `tunebench services check`). */
  readonly services: ServiceManager;
  /** Node.js processes started elsewhere that the user attached to (attach.* calls). */
  private readonly attached: AttachService;
  private readonly handlers: Handlers;
  /** Runs rebuilt from their journals at start-up, for the user to read. */
  private readonly recoveryNotes: string[] = [];
  /** Takes the engine's own process out of the inspectable processes. */
  private readonly releaseEngineSubject: () => void;
  private disposed = false;

  /** The one resolver of the subject runtime, from the host's setting. */
  private readonly nodeRuntime: NodeRuntimeResolver;

  private constructor(private readonly options: EngineOptions) {
    // First, so a wrong --node fails before anything starts.
    this.nodeRuntime = new NodeRuntimeResolver(options.nodeRuntime);
    this.db = new DbService({
      dataDir: options.dataDir,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.embeddedPostgresPort ? { embeddedPort: options.embeddedPostgresPort } : {}),
      children: this.children,
      onLog: (level, message) => this.emit('log', { level, message, at: new Date().toISOString() }),
    });
    // Its processes' snapshots and profiles go where the engine's own do.
    this.clusters = new ClusterService(this.children, options.workersDir, this.nodeRuntime, join(options.dataDir, 'runtime'));
    this.clusters.listen({
      status: (status) => this.emit('cluster.status', status),
      event: (event) => this.emit('cluster.event', event),
    });
    this.serviceCatalog = new ServiceCatalog(options.dataDir);
    this.services = new ServiceManager({
      catalog: this.serviceCatalog,
      children: this.children,
      nodeRuntime: this.nodeRuntime,
      workersDir: options.workersDir,
      db: this.db,
      dataDir: options.dataDir,
      emit: (stream, payload) => this.emit(stream, payload),
    });
    this.kinds = createKindRegistry({
      db: this.db,
      children: this.children,
      clusters: this.clusters,
      catalog: this.serviceCatalog,
      publishLog: (payload) => this.emit('service.log', payload),
    });
    this.store = new RunStore(options.dataDir, { headlineOf: headlineFor(this.kinds), settingsOf: settingsFor(this.kinds) });
    this.runs = new RunManager(
      this.kinds,
      this.store,
      options.workersDir,
      options.host,
      (stream, payload) => this.emit(stream, payload),
      {
        nodeRuntime: this.nodeRuntime,
        ...(options.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: options.maxConcurrentRuns } : {}),
        ...(options.runtimeProbeIntervalMs !== undefined ? { runtimeProbeIntervalMs: options.runtimeProbeIntervalMs } : {}),
      },
    );
    this.studies = new StudyService(
      this.runs,
      this.store,
      options.dataDir,
      options.host,
      (stream, payload) => this.emit(stream, payload),
      this.kinds,
    );
    this.attached = new AttachService({ dataDir: options.dataDir });
    this.handlers = this.createHandlers();
    this.releaseEngineSubject = registerEngineProcess(options.dataDir);
  }

  static async create(options: EngineOptions): Promise<Engine> {
    if (!options.dataDir) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'dataDir', rule: 'a directory path' });
    if (!options.workersDir) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'workersDir', rule: 'the folder of the built workers' });
    }
    // Checked before anything starts, so a bad setting leaves nothing running.
    engineProbeInterval(options.runtimeProbeIntervalMs);
    maxConcurrentRuns(options.maxConcurrentRuns);
    const engine = new Engine(options);
    // Named on the command line: a file that cannot be used stops here, before anything starts.
    for (const file of options.servicesFiles ?? []) engine.serviceCatalog.addCommandLineFile(file);
    engine.recoveryNotes.push(...(await engine.serviceCatalog.open()));
    await engine.store.open();
    engine.recoveryNotes.push(...(await recoverInterruptedRuns(engine.store)));
    await engine.studies.open();
    return engine;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get runStore(): RunStore {
    return this.store;
  }

  /** Problems and recoveries found at start-up: set-aside files, runs rebuilt from their journals. */
  get warnings(): readonly string[] {
    return [...this.store.warnings, ...this.recoveryNotes, ...this.studies.warnings];
  }

  /** Validates and runs one contract call; never throws, so a bad payload cannot take a host down. */
  async dispatch(name: unknown, payload: unknown): Promise<Envelope> {
    try {
      if (this.disposed) throw new TunebenchError('TB_SHUTTING_DOWN', { what: 'engine' });
      if (!isCallName(name)) throw new TunebenchError('TB_UNKNOWN_CALL', { call: String(name).slice(0, 100) });
      const parsed = calls[name].request.safeParse(payload ?? {});
      if (!parsed.success) {
        throw new TunebenchError('TB_INVALID_PAYLOAD', { call: name, detail: describeZodError(parsed.error) });
      }
      const handler = this.handlers[name] as (request: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      if (this.options.validateResponses) {
        const checked = calls[name].response.safeParse(value);
        if (!checked.success) {
          throw new TunebenchError('TB_INTERNAL', { detail: `response of ${name}: ${describeZodError(checked.error)}` });
        }
      }
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  }

  /** Typed direct call for in-process users (CLI, tests); throws the catalogued error. */
  async call<N extends CallName>(name: N, request: CallRequestParsed<N> | Record<string, unknown>): Promise<CallResponse<N>> {
    const envelope = await this.dispatch(name, request);
    if (!envelope.ok) throw TunebenchError.fromPayload(envelope.error);
    return envelope.value as CallResponse<N>;
  }

  onStream(listener: StreamListener): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops active runs (each is saved as stopped) and releases everything. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.releaseEngineSubject();
    // The processes attached to keep running, their inspectors closed again.
    await this.attached.dispose();
    // Sweeps first, so none starts another run while the runs stop.
    await this.studies.dispose();
    await this.runs.stopAll();
    // The stopped runs are saved; their list entries reach the index file before the process ends.
    await this.store.close();
    await this.services.dispose().catch((error: unknown) => console.error('tunebench: stopping services failed:', error));
    await this.clusters.dispose().catch((error: unknown) => console.error('tunebench: stopping the cluster failed:', error));
    // After the runs: their pools must end before the server they talk to stops. Before the child registry:
    // the server's watchdog is one of its children, and stopping it is how the server shuts down cleanly.
    await this.db.dispose().catch((error: unknown) => console.error('tunebench: stopping embedded PostgreSQL failed:', error));
    await this.children.dispose();
    this.listeners.clear();
  }

  private emit<S extends StreamName>(stream: S, payload: StreamPayload<S>): void {
    for (const listener of this.listeners) {
      try {
        listener(stream, payload);
      } catch (error) {
        // A failing listener (a closed socket, a destroyed window) must not stop a run.
        console.error(`tunebench: a ${stream} listener failed:`, error);
      }
    }
  }

  private createHandlers(): Handlers {
    return {
      'app.info': async () => ({
        version: TUNEBENCH_VERSION,
        host: this.options.host === 'electron' ? 'electron' : 'web',
        dataDir: this.options.dataDir,
        kinds: [...experimentKinds],
        cpuCount: machineCores(),
        warnings: [...this.warnings],
      }),
      'app.doctor': async () =>
        runDoctor({ dataDir: this.options.dataDir, nodeRuntime: this.nodeRuntime, db: this.db }),
      'spec.example': async ({ kind }) => ({ spec: { ...exampleSpecs[kind as ExperimentKind] } }),
      'runs.start': async ({ spec, rerunOf }) => {
        const { runId } = this.runs.start(spec, rerunOf ? { rerunOf } : {});
        return { runId };
      },
      'runs.stop': async ({ runId }) => {
        const record = await this.runs.stop(runId);
        return { runId, status: record.status };
      },
      'runs.active': async () => ({ runs: this.runs.activeRuns() }),
      'runs.live': async ({ runId, maxPointsPerSeries }) => this.runs.liveView(runId, maxPointsPerSeries),
      'runs.list': async ({ offset, limit, kind, text }) => {
        const runs = filterRunList(this.store.list(), { kind, text });
        return { runs: runs.slice(offset, offset + limit), total: runs.length, warnings: [...this.store.warnings] };
      },
      'runs.get': async ({ runId, display }) => {
        // A run the disk refused is still here, and says so.
        const unsaved = this.runs.unsavedRun(runId);
        const run = unsaved?.record ?? (await this.store.get(runId));
        return { ...(display ? runDisplayView(run, display) : { run }), ...(unsaved ? { unsaved: { reason: unsaved.reason } } : {}) };
      },
      'runs.saveAgain': async ({ runId }) => {
        await this.runs.saveAgain(runId);
        return { runId };
      },
      'runs.delete': async ({ runId }) => {
        await this.store.delete(runId);
        return { runId };
      },
      // A file crosses the contract whole, so it gets the same bound as an import coming the other way.
      'runs.artifact': async ({ runId, file }) => ({
        fileName: file,
        mimeType: 'application/json',
        content: (await this.store.readArtifact(runId, file, MAX_IMPORT_BYTES)).content,
      }),
      'tasks.run': async ({ task }) => runTaskOnce(task, this.options.workersDir),
      ...this.studies.handlers(),
      'db.profiles.list': async () => ({
        profiles: await this.db.listProfiles(),
        secrets: {
          backend: this.db.secrets.backend,
          persistent: this.db.secrets.persistent,
          ...(this.db.secrets.warning ? { warning: this.db.secrets.warning } : {}),
        },
      }),
      'db.profiles.save': async ({ profile }) => ({ profile: await this.db.profiles.save(profile) }),
      'db.profiles.delete': async ({ id }) => {
        await this.db.profiles.delete(id);
        return { id };
      },
      'db.testConnection': async (request) => this.db.testConnection(request),
      'db.dropSchema': async ({ target }) => this.db.dropSchema(target),
      'db.embedded.status': async () => this.db.embeddedStatus(),
      'db.run.tables': async ({ runId }) => {
        const live = this.db.liveTablesOf(runId);
        if (live) return { runId, live: true, tables: live };
        return { runId, live: false, tables: (await this.store.get(runId)).tables ?? {} };
      },
      'db.explain': async ({ runId, hash }) => explainRunStatement(this.db, await this.store.get(runId), hash),
      'runtime.processes': async () => ({ processes: runtimeSubjects.list() }),
      'runtime.file': async ({ file, runId }) =>
        readInspectionFile(runId ? this.store.runDir(runId) : join(this.options.dataDir, 'runtime'), file, runId ?? 'runtime', MAX_IMPORT_BYTES),
      'runtime.heapSnapshot': async ({ processId, confirmLarge }) => runtimeSubjects.heapSnapshot(processId, confirmLarge),
      'runtime.cpuProfile': async ({ processId, seconds }) => runtimeSubjects.cpuProfile(processId, seconds),
      'runtime.allocationProfile': async ({ processId, seconds }) => runtimeSubjects.allocationProfile(processId, seconds),
      'runtime.gc': async ({ processId }) => {
        await runtimeSubjects.forceGc(processId);
        return { processId };
      },
      'runtime.phaseTrace': async () => ({ steps: await recordPhaseTrace(this.children, this.options.workersDir, this.nodeRuntime.resolve()) }),
      'attach.list': async () => this.attached.list(),
      'attach.open': async ({ pid }) => this.attached.open(pid),
      'attach.close': async ({ pid }) => this.attached.close(pid),
      'services.list': async () => ({ services: this.services.list(), folders: this.serviceCatalog.trustedFolders() }),
      'services.save': async ({ service, previousName }) => ({ service: await this.serviceCatalog.save(service, previousName) }),
      'services.delete': async ({ name }) => {
        await this.serviceCatalog.delete(name);
        return { name };
      },
      'services.start': async ({ name, knobs }) => this.services.start(name, knobs),
      'services.stop': async ({ name }) => this.services.stop(name),
      'services.check': async ({ name, knobs }) => this.services.check(name, knobs),
      'services.log': async ({ name }) => ({ name, lines: this.services.logTail(name) }),
      'services.folder.inspect': async ({ folder }) => this.serviceCatalog.inspectFolder(folder),
      'services.folder.trust': async ({ folder, trust }) => {
        if (trust) await this.serviceCatalog.trustFolder(folder);
        else await this.serviceCatalog.untrustFolder(folder);
        return { folders: this.serviceCatalog.trustedFolders() };
      },
      'cluster.start': async ({ settings }) => this.clusters.start(settings),
      'cluster.stop': async () => this.clusters.stop(),
      'cluster.status': async () => this.clusters.status(),
      'cluster.fault': async ({ fault }) => ({ message: await this.clusters.fault(fault) }),
      'cluster.rollingRestart': async () => ({ durationMs: await this.clusters.rollingRestart() }),
    };
  }
}
