/**
 * Services started by hand (the Services page's Start and Stop) and checked
 * (`services.check`, `tunebench services check <name>`): at most one
 * instance per service here, each a ServiceInstance with its probe, live log
 * tail and inspectable processes; stopped on dispose. Load runs start their
 * own instances (kinds/load/service-target.ts).
 */
import path from 'node:path';
import type { StreamName, StreamPayload } from '../../../shared/contract.js';
import { TunebenchError } from '../../../shared/errors.js';
import type { KnobValue, ServiceCheck, ServiceLogLine, ServiceStatus, ServiceView } from '../../../shared/specs/services.js';
import type { ChildRegistry } from '../processes/child-registry.js';
import type { NodeRuntimeResolver } from '../processes/node-runtime.js';
import type { DbService } from '../postgres/db-service.js';
import { serviceDatabaseUrl } from '../postgres/service-database.js';
import { runtimeSubjects } from '../runtime/subjects.js';
import type { ServiceCatalog } from './catalog.js';
import { describeServiceExit, ServiceInstance } from './service-instance.js';

type Emit = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;

export interface ServiceManagerOptions {
  catalog: ServiceCatalog;
  children: ChildRegistry;
  nodeRuntime: NodeRuntimeResolver;
  workersDir: string;
  db: DbService;
  dataDir: string;
  emit: Emit;
}

const STATUS_INTERVAL_MS = 1_000;
const LOG_FLUSH_MS = 250;
/** How long a check waits after readiness for the probes of the service's processes to report. */
const CHECK_PROBE_WAIT_MS = 1_500;

interface Entry {
  name: string;
  state: ServiceStatus['state'];
  instance?: ServiceInstance;
  knobs?: Record<string, KnobValue>;
  message?: string;
  timer?: NodeJS.Timeout;
  pendingLines: ServiceLogLine[];
  /** The last lines of an instance that ended, for a page that opens later. */
  lastLines: ServiceLogLine[];
}

export class ServiceManager {
  private readonly entries = new Map<string, Entry>();
  private disposed = false;

  constructor(private readonly options: ServiceManagerOptions) {}

  list(): ServiceView[] {
    return this.options.catalog.list().map(({ definition, source, shadowedBy }) => {
      const status = shadowedBy ? undefined : this.status(definition.name);
      return { definition, source, ...(shadowedBy ? { shadowedBy } : {}), ...(status ? { status } : {}) };
    });
  }

  status(name: string): ServiceStatus | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const instance = entry.instance;
    return {
      name,
      state: entry.state,
      ...(instance?.pid !== undefined && entry.state !== 'stopped' && entry.state !== 'failed' ? { pid: instance.pid } : {}),
      ...(instance ? { url: instance.url } : {}),
      ...(entry.knobs ? { knobs: entry.knobs } : {}),
      ...(entry.message ? { message: entry.message } : {}),
      processes: instance && entry.state !== 'stopped' && entry.state !== 'failed' ? instance.processInfo() : [],
    };
  }

  logTail(name: string): ServiceLogLine[] {
    const entry = this.entries.get(name);
    return entry?.instance ? entry.instance.logTail(500) : (entry?.lastLines ?? []);
  }

  /** Starts a service by hand; resolves once it is ready (or rejects with why not, leaving nothing running). */
  async start(name: string, knobs: Record<string, KnobValue> = {}): Promise<ServiceStatus> {
    if (this.disposed) throw new TunebenchError('TB_SHUTTING_DOWN', { what: 'engine' });
    const resolved = this.options.catalog.resolveRun(name, knobs);
    const current = this.entries.get(name);
    if (current && (current.state === 'starting' || current.state === 'running' || current.state === 'stopping')) {
      throw new TunebenchError('TB_SERVICE_FAILED', { name, detail: `is already ${current.state}; stop it first` });
    }
    const entry: Entry = { name, state: 'starting', knobs: resolved.knobs, pendingLines: [], lastLines: [] };
    this.entries.set(name, entry);
    this.publish(entry);
    try {
      const databaseUrl = resolved.definition.database === 'embedded' ? await serviceDatabaseUrl(this.options.db, name) : undefined;
      const runtimeDir = path.join(this.options.dataDir, 'runtime');
      entry.instance = await ServiceInstance.start({
        definition: resolved.definition,
        knobs: resolved.knobs,
        children: this.options.children,
        nodeRuntime: this.options.nodeRuntime,
        workersDir: this.options.workersDir,
        subjects: runtimeSubjects,
        artifactDir: runtimeDir,
        logFile: path.join(runtimeDir, `service-${name}.log`),
        onLog: (line) => entry.pendingLines.push(line),
        ...(databaseUrl !== undefined ? { databaseUrl } : {}),
      });
      entry.timer = setInterval(() => this.tick(entry), LOG_FLUSH_MS);
      entry.timer.unref();
      entry.instance.onExit((exit) => {
        entry.state = 'failed';
        entry.message = `${describeServiceExit(exit)}${entry.instance?.tailText(5) ?? ''}`;
        void this.finish(entry);
      });
      await entry.instance.waitReady();
      entry.state = 'running';
      entry.message = undefined;
      this.publish(entry);
      return this.status(name)!;
    } catch (error) {
      entry.state = 'failed';
      entry.message = error instanceof Error ? error.message : String(error);
      await this.finish(entry);
      throw error;
    }
  }

  async stop(name: string): Promise<ServiceStatus> {
    const entry = this.entries.get(name);
    if (!entry?.instance || entry.state === 'stopped' || entry.state === 'failed') {
      return this.status(name) ?? { name, state: 'stopped', processes: [] };
    }
    entry.state = 'stopping';
    this.publish(entry);
    const result = await entry.instance.stop();
    entry.state = 'stopped';
    entry.message =
      result.outcome === 'killed'
        ? `did not stop within ${entry.instance.definition.stop.timeoutSec} s of SIGTERM; killed`
        : `stopped in ${(result.ms / 1000).toFixed(2)} s`;
    await this.finish(entry);
    return this.status(name)!;
  }

  /** Starts the service, waits for readiness and its probes, stops it, and says what it saw. */
  async check(name: string, knobs: Record<string, KnobValue> = {}): Promise<ServiceCheck> {
    const resolved = this.options.catalog.resolveRun(name, knobs);
    const { definition } = resolved;
    const readiness =
      definition.ready.type === 'http'
        ? `GET ${new URL(definition.ready.path, definition.url).href} answers 2xx within ${definition.ready.timeoutSec} s`
        : `a line matching /${definition.ready.pattern}/ within ${definition.ready.timeoutSec} s`;
    const databaseUrl = definition.database === 'embedded' ? await serviceDatabaseUrl(this.options.db, name) : undefined;
    let instance: ServiceInstance;
    try {
      instance = await ServiceInstance.start({
        definition,
        knobs: resolved.knobs,
        children: this.options.children,
        nodeRuntime: this.options.nodeRuntime,
        workersDir: this.options.workersDir,
        subjects: runtimeSubjects,
        artifactDir: path.join(this.options.dataDir, 'runtime'),
        ...(databaseUrl !== undefined ? { databaseUrl } : {}),
      });
    } catch (error) {
      return {
        name,
        ok: false,
        command: definition.command,
        directory: definition.directory,
        readiness,
        processes: [],
        stop: 'not-started',
        problem: (error as Error).message,
        logTail: [],
      };
    }
    let readyMs: number | undefined;
    let problem: string | undefined;
    try {
      readyMs = await instance.waitReady();
      const until = performance.now() + CHECK_PROBE_WAIT_MS;
      while (performance.now() < until && !instance.processes.some((process) => process.latest)) await delay(100);
      if (!instance.processes.length) problem = 'no Node process of the service reported through the runtime probe';
    } catch (error) {
      problem = (error as Error).message;
    }
    const processes = instance.processInfo().map((process) => ({
      pid: process.pid,
      ...(process.ppid !== undefined ? { ppid: process.ppid } : {}),
      ...(process.heapUsedMb !== undefined ? { heapUsedMb: process.heapUsedMb } : {}),
    }));
    const stopped = await instance.stop();
    if (!problem && stopped.outcome === 'killed') problem = `did not stop within ${definition.stop.timeoutSec} s of SIGTERM; its process group was killed`;
    if (!problem && stopped.outcome === 'exited') problem = 'it exited by itself before it was asked to stop';
    if (!problem && stopped.leftovers.length) problem = `processes ${stopped.leftovers.join(', ')} left its process group; killed by pid`;
    return {
      name,
      ok: problem === undefined,
      command: [instance.plan.command, ...instance.plan.args],
      directory: instance.plan.cwd,
      ...(readyMs !== undefined ? { readyMs } : {}),
      readiness,
      processes,
      stop: stopped.outcome,
      stopMs: stopped.ms,
      ...(problem ? { problem } : {}),
      logTail: instance.logTail(20),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.entries.values()].map((entry) => (entry.instance ? entry.instance.stop() : undefined)));
    for (const entry of this.entries.values()) clearInterval(entry.timer);
  }

  private tick(entry: Entry): void {
    if (entry.pendingLines.length) {
      const lines = entry.pendingLines.splice(0).slice(-200);
      this.options.emit('service.log', { name: entry.name, lines });
    }
    const now = Date.now();
    if (entry.state === 'running' && now - (lastStatus.get(entry) ?? 0) >= STATUS_INTERVAL_MS) this.publish(entry);
  }

  private async finish(entry: Entry): Promise<void> {
    const instance = entry.instance;
    if (instance) {
      await instance.stop();
      entry.lastLines = instance.logTail(500);
    }
    clearInterval(entry.timer);
    this.tick(entry);
    this.publish(entry);
  }

  private publish(entry: Entry): void {
    lastStatus.set(entry, Date.now());
    const status = this.status(entry.name);
    if (status) this.options.emit('service.status', status);
  }
}

const lastStatus = new WeakMap<Entry, number>();

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
