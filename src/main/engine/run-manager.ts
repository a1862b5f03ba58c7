import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { StreamName, StreamPayload } from '../../shared/contract.js';
import { toErrorPayload, TunebenchError } from '../../shared/errors.js';
import type { Environment, RunRecord, RunStatus } from '../../shared/run-record.js';
import { RUN_RECORD_FORMAT } from '../../shared/run-record.js';
import { describeZodError } from '../../shared/validation.js';
import { labelledRunName } from '../../shared/run-names.js';
import { captureEnvironment } from './environment.js';
import { findingsOf, findingsOfRecord } from './findings/index.js';
import type { ExperimentKindRunner } from './kinds/kind.js';
import { MachineNoiseRecorder } from './noise/machine-noise.js';
import { NodeRuntimeResolver } from './processes/node-runtime.js';
import { RunRecorder, type LiveView } from './recorder.js';
import { JOURNAL_FLUSH_MS, RunJournal } from './run-journal.js';
import { engineProbeInterval, EngineRuntimeRecorder } from './runtime/engine-runtime.js';
import type { RunStore } from './store.js';

type Emit = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;

interface ActiveRun {
  runId: string;
  kind: string;
  name: string;
  startedAt: string;
  controller: AbortController;
  done: Promise<RunRecord>;
  spec: Record<string, unknown>;
  recorder: RunRecorder;
}

export interface RunManagerOptions {
  /** How often every run samples the engine's own process (engine.* series); 100 ms .. 60 s, default 1 s. */
  runtimeProbeIntervalMs?: number;
  /** The Node.js subject processes run on (the host's setting); default: `node` on PATH. */
  nodeRuntime?: NodeRuntimeResolver;
  /** Runs allowed at once (1 .. 64, default DEFAULT_MAX_CONCURRENT_RUNS); one more is refused with TB_TOO_MANY_RUNS. */
  maxConcurrentRuns?: number;
}

/** Runs at once by default: each may hold a pool, a cluster or a sandbox, and they share the machine's cores. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;

export interface StartOptions {
  /** Said after the run's name (a sweep point's settings). */
  label?: string;
  rerunOf?: string;
  sweepId?: string;
  point?: number;
  /** Measured runs per point of the sweep (its findings say when that is too few). */
  repeats?: number;
}

/** Live findings wait until a run has gone this long: before, every number is start-up. */
export const LIVE_FINDINGS_AFTER_MS = 2_000;

/** Starts runs of any kind, streams their frames, and saves each as a RunRecord when it ends. */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private readonly probeIntervalMs: number;
  private readonly nodeRuntime: NodeRuntimeResolver;
  private readonly maxConcurrentRuns: number;
  /** Finished runs whose record could not be written (disk full, read-only): kept until saved or the engine goes. */
  private readonly unsaved = new Map<string, { record: RunRecord; reason: string }>();

  constructor(
    private readonly kinds: ReadonlyMap<string, ExperimentKindRunner<any>>,
    private readonly store: RunStore,
    private readonly workersDir: string,
    private readonly host: Environment['host'],
    private readonly emit: Emit,
    options: RunManagerOptions = {},
  ) {
    this.probeIntervalMs = engineProbeInterval(options.runtimeProbeIntervalMs);
    this.nodeRuntime = options.nodeRuntime ?? new NodeRuntimeResolver();
    this.maxConcurrentRuns = maxConcurrentRuns(options.maxConcurrentRuns);
  }

  activeRuns(): Array<Pick<ActiveRun, 'runId' | 'kind' | 'name' | 'startedAt'>> {
    return [...this.active.values()].map(({ runId, kind, name, startedAt }) => ({ runId, kind, name, startedAt }));
  }

  /**
   * What start() checks before anything starts: the kind, its schema, and the
   * kind's admission (a memory scenario's share of the machine, a service
   * target's trusted definition and knobs). A sweep checks every point so.
   */
  check(rawSpec: { kind: string } & Record<string, unknown>): { runner: ExperimentKindRunner<any>; spec: Record<string, unknown> } {
    const runner = this.kinds.get(rawSpec.kind);
    if (!runner) throw new TunebenchError('TB_UNKNOWN_KIND', { kind: rawSpec.kind });
    const parsed = runner.specSchema.safeParse(rawSpec);
    if (!parsed.success) throw new TunebenchError('TB_INVALID_SPEC', { detail: describeZodError(parsed.error) });
    const spec = parsed.data as Record<string, unknown>;
    runner.admit?.(spec);
    return { runner, spec };
  }

  /** Validates the spec with its kind's schema and starts the run; resolves with its id at once. */
  start(rawSpec: { kind: string } & Record<string, unknown>, options: StartOptions = {}): { runId: string; done: Promise<RunRecord> } {
    const { runner, spec } = this.check(rawSpec);
    if (this.active.size >= this.maxConcurrentRuns) {
      throw new TunebenchError('TB_TOO_MANY_RUNS', { running: this.active.size, max: this.maxConcurrentRuns });
    }
    const runId = newRunId(runner.kind);
    // A name the user typed is kept; a sweep's run adds its point's settings.
    const baseName = typeof spec.name === 'string' && spec.name ? spec.name : runner.defaultName(spec);
    const name = labelledRunName(baseName, options.label);
    const controller = new AbortController();
    const startedAt = new Date().toISOString();
    const recorder = new RunRecorder(
      runId,
      (frame) => this.emit('run.frame', frame),
      (level, message) => this.emit('log', { level, message: `[${name}] ${message}`, at: new Date().toISOString() }),
    );
    const done = this.execute(runner, spec, recorder, controller, { runId, name, startedAt, options });
    this.active.set(runId, { runId, kind: runner.kind, name, startedAt, controller, done, spec, recorder });
    this.emit('run.status', { runId, kind: runner.kind, name, status: 'running' });
    return { runId, done };
  }

  stop(runId: string): Promise<RunRecord> {
    const run = this.active.get(runId);
    if (!run) throw new TunebenchError('TB_RUN_NOT_ACTIVE', { id: runId });
    run.controller.abort();
    return run.done;
  }

  /** A running run's spec and its history so far (runs.live): for a page that opens or reloads while it runs. */
  liveView(runId: string, maxPoints: number): { runId: string; kind: string; name: string; startedAt: string; spec: Record<string, unknown> } & LiveView {
    const run = this.active.get(runId);
    if (!run) throw new TunebenchError('TB_RUN_NOT_ACTIVE', { id: runId });
    return { runId, kind: run.kind, name: run.name, startedAt: run.startedAt, spec: run.spec, ...run.recorder.liveView(maxPoints) };
  }

  /** A finished run that could not be saved, with why. */
  unsavedRun(runId: string): { record: RunRecord; reason: string } | undefined {
    return this.unsaved.get(runId);
  }

  /** Tries again to save a run that could not be saved; it stays in memory until that works. */
  async saveAgain(runId: string): Promise<void> {
    const entry = this.unsaved.get(runId);
    if (!entry) throw new TunebenchError('TB_RUN_NOT_FOUND', { id: runId });
    await this.store.save(entry.record);
    this.unsaved.delete(runId);
    await fs.rm(this.store.journalFileOf(runId), { force: true });
  }

  wait(runId: string): Promise<RunRecord> | undefined {
    return this.active.get(runId)?.done;
  }

  /** Stops every active run and waits until each is saved. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort();
    await Promise.allSettled(runs.map((run) => run.done));
  }

  private async execute(
    runner: ExperimentKindRunner<any>,
    spec: Record<string, unknown>,
    recorder: RunRecorder,
    controller: AbortController,
    meta: { runId: string; name: string; startedAt: string; options: StartOptions },
  ): Promise<RunRecord> {
    // Let start() return (and its caller subscribe) before the first sample.
    await Promise.resolve();
    const runDir = this.store.runDir(meta.runId);
    const cpuCount = captureEnvironment(this.host).cpuCount;
    recorder.findLive(() =>
      recorder.elapsed() < LIVE_FINDINGS_AFTER_MS
        ? []
        : findingsOf(
            {
              kind: runner.kind,
              spec,
              environment: { cpuCount },
              status: 'running',
              durationMs: recorder.elapsed(),
              summary: recorder.currentSummary,
              series: recorder.liveSeries(),
              events: recorder.liveEvents(),
              ...originOf(meta.options),
            },
            { live: true, ...(meta.options.repeats !== undefined ? { repeats: meta.options.repeats } : {}) },
          ),
    );
    recorder.start();
    const journal = await this.openJournal(runner.kind, spec, meta);
    const journalTimer = journal ? setInterval(() => void journal.append(recorder.journalDelta()), JOURNAL_FLUSH_MS) : undefined;
    const engineRuntime = new EngineRuntimeRecorder(recorder, {
      intervalMs: this.probeIntervalMs,
      eventLoop: !runner.recordsEngineEventLoop,
    });
    // What else the machine did meanwhile: noise.* series and the record's verdict.
    const machineNoise = new MachineNoiseRecorder(recorder);
    let noise: RunRecord['noise'];
    let status: RunStatus = 'completed';
    let error: RunRecord['error'];
    let summary: RunRecord['summary'];
    let artifacts: RunRecord['artifacts'] = [];
    let tables: RunRecord['tables'];
    let extraEnvironment: Record<string, string> | undefined;
    try {
      const result = await runner.run(spec, recorder, controller.signal, {
        runId: meta.runId,
        runDir,
        workersDir: this.workersDir,
        nodeRuntime: this.nodeRuntime,
      });
      summary = result.summary;
      artifacts = result.artifacts ?? [];
      tables = result.tables;
      extraEnvironment = result.environment;
      if (result.error) {
        status = 'failed';
        error = result.error;
      } else if (controller.signal.aborted) {
        status = 'stopped';
      }
    } catch (thrown) {
      status = 'failed';
      error = toErrorPayload(thrown);
      summary = recorder.currentSummary;
    } finally {
      engineRuntime.dispose();
      noise = await machineNoise.stop();
      recorder.finish();
      clearInterval(journalTimer);
    }
    const endedAt = new Date().toISOString();
    const record: RunRecord = {
      format: RUN_RECORD_FORMAT,
      id: meta.runId,
      kind: runner.kind,
      name: meta.name,
      spec,
      environment: captureEnvironment(this.host, extraEnvironment),
      status,
      startedAt: meta.startedAt,
      endedAt,
      durationMs: Date.parse(endedAt) - Date.parse(meta.startedAt),
      ...(error ? { error } : {}),
      summary,
      ...recorder.snapshot(),
      artifacts,
      ...(tables ? { tables } : {}),
      ...(noise ? { noise } : {}),
      ...originOf(meta.options),
    };
    // The headline of the run: what the rules read in it (after the noise verdict, which one of them reads).
    // An empty list says the rules found nothing (a record without the field is from before there were findings).
    record.findings = findingsOfRecord(record, meta.options.repeats !== undefined ? { repeats: meta.options.repeats } : {});
    try {
      await this.store.save(record);
      // Only now: until the record is safe, the journal is the run.
      await journal?.remove();
    } catch (saveError) {
      const reason = saveError instanceof Error ? saveError.message : String(saveError);
      this.unsaved.set(meta.runId, { record, reason });
      if (journal) await journal.append(recorder.journalDelta()).then(() => journal.close());
      const message = new TunebenchError('TB_RUN_UNSAVED', { id: meta.runId, detail: reason }).message;
      this.emit('log', { level: 'error', message, at: new Date().toISOString() });
    } finally {
      this.active.delete(meta.runId);
      this.emit('run.status', {
        runId: meta.runId,
        kind: runner.kind,
        name: meta.name,
        status,
        ...(error ? { error } : {}),
      });
    }
    // Artifacts folder exists only when a kind wrote into it.
    await fs.rmdir(runDir).catch(() => {});
    return record;
  }

  /** The run's journal; a run whose journal cannot be written (disk full) goes on without one, and says so. */
  private async openJournal(
    kind: string,
    spec: Record<string, unknown>,
    meta: { runId: string; name: string; startedAt: string; options: StartOptions },
  ): Promise<RunJournal | undefined> {
    try {
      return await RunJournal.create(this.store.journalFileOf(meta.runId), {
        id: meta.runId,
        kind,
        name: meta.name,
        spec,
        startedAt: meta.startedAt,
        environment: captureEnvironment(this.host),
        ...originOf(meta.options),
      });
    } catch (error) {
      const message = `[${meta.name}] The run's journal could not be created (${(error as Error).message}); if the workbench stops during this run, it is lost`;
      this.emit('log', { level: 'warn', message, at: new Date().toISOString() });
      return undefined;
    }
  }
}

/** The record's links to the run it reran and the sweep it belongs to, when it has any. */
function originOf(options: StartOptions): Pick<RunRecord, 'origin'> {
  if (!options.rerunOf && !options.sweepId) return {};
  return {
    origin: {
      ...(options.rerunOf ? { rerunOf: options.rerunOf } : {}),
      ...(options.sweepId ? { sweepId: options.sweepId, point: options.point } : {}),
    },
  };
}

/** Checks the runs-at-once setting of a host. */
export function maxConcurrentRuns(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_CONCURRENT_RUNS;
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'maxConcurrentRuns', rule: `an integer from 1 to 64; got ${String(value)}` });
  }
  return value;
}

function newRunId(kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '');
  return `${stamp}-${kind}-${randomBytes(3).toString('hex')}`;
}

