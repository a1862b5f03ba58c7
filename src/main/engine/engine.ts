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
import { exampleSpecs, ExperimentKind, experimentKinds } from '../../shared/specs/index.js';
import { describeZodError } from '../../shared/validation.js';
import type { ExperimentKindRunner } from './kind.js';
import { createKindRegistry, headlineFor } from './kinds.js';
import { runTaskOnce } from './pool/run-task.js';
import { RunManager } from './run-manager.js';
import { RunStore } from './store.js';
import { TUNEBENCH_VERSION } from './version.js';

export interface EngineOptions {
  /** Where runs and settings live. */
  dataDir: string;
  /** Built worker entry points (out/main/workers). */
  workersDir: string;
  /** Which host binds this engine; recorded in every run's environment. */
  host: 'electron' | 'web' | 'cli' | 'test';
  /** Parse every response against the contract too (tests turn this on). */
  validateResponses?: boolean;
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
  private readonly handlers: Handlers;
  private disposed = false;

  private constructor(private readonly options: EngineOptions) {
    this.kinds = createKindRegistry();
    this.store = new RunStore(options.dataDir, headlineFor(this.kinds));
    this.runs = new RunManager(this.kinds, this.store, options.workersDir, options.host, (stream, payload) =>
      this.emit(stream, payload),
    );
    this.handlers = this.createHandlers();
  }

  static async create(options: EngineOptions): Promise<Engine> {
    if (!options.dataDir) throw new TunebenchError('TB_INVALID_OPTION', { detail: 'dataDir must be a directory path' });
    if (!options.workersDir) {
      throw new TunebenchError('TB_INVALID_OPTION', { detail: 'workersDir must be the folder of the built workers' });
    }
    const engine = new Engine(options);
    await engine.store.open();
    return engine;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get runStore(): RunStore {
    return this.store;
  }

  get warnings(): readonly string[] {
    return this.store.warnings;
  }

  /** Validates and runs one contract call; never throws, so a bad payload cannot take a host down. */
  async dispatch(name: unknown, payload: unknown): Promise<Envelope> {
    try {
      if (this.disposed) throw new TunebenchError('TB_UNAVAILABLE', { detail: 'The engine is shutting down' });
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
    await this.runs.stopAll();
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
        warnings: [...this.store.warnings],
      }),
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
      'runs.list': async () => ({ runs: this.store.list(), warnings: [...this.store.warnings] }),
      'runs.get': async ({ runId }) => ({ run: await this.store.get(runId) }),
      'runs.delete': async ({ runId }) => {
        await this.store.delete(runId);
        return { runId };
      },
      'tasks.run': async ({ task }) => runTaskOnce(task, this.options.workersDir),
    };
  }
}
