import { randomBytes } from 'node:crypto';
import type { StreamName, StreamPayload } from '../../../shared/contract.js';
import { toErrorPayload, TunebenchError } from '../../../shared/errors.js';
import type { Environment, RunRecord, RunStatus } from '../../../shared/run-record.js';
import {
  expandPoints,
  type ScheduledRun,
  scheduleRuns,
  SWEEP_RECORD_FORMAT,
  SweepRecord,
  SweepSpec,
  SweepSpecSchema,
} from '../../../shared/specs/sweep.js';
import { sweepRunLabel } from '../../../shared/run-names.js';
import { describeZodError } from '../../../shared/validation.js';
import { captureEnvironment } from '../environment.js';
import type { RunManager } from '../run-manager.js';
import type { SweepStore } from './sweep-store.js';

type Emit = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;

interface ActiveSweep {
  controller: AbortController;
  currentRunId: string | undefined;
  done: Promise<SweepRecord>;
}

/**
 * Runs a sweep's points one run at a time through the RunManager (so every
 * run is an ordinary saved run), saving the sweep record after each run: a
 * stopped or interrupted sweep keeps everything it finished.
 */
export class SweepRunner {
  private readonly active = new Map<string, ActiveSweep>();

  constructor(
    private readonly runs: RunManager,
    private readonly store: SweepStore,
    private readonly host: Environment['host'],
    private readonly emit: Emit,
  ) {}

  activeIds(): string[] {
    return [...this.active.keys()];
  }

  start(rawSpec: unknown): { sweepId: string; done: Promise<SweepRecord> } {
    const parsed = SweepSpecSchema.safeParse(rawSpec);
    if (!parsed.success) throw new TunebenchError('TB_INVALID_SPEC', { detail: describeZodError(parsed.error) });
    const spec = parsed.data;
    // Every point as its run would be checked (a service's knobs against its definition): a bad one starts nothing.
    for (const point of expandPoints(spec)) this.runs.check(point.spec);
    const id = newSweepId(spec.base.kind);
    const schedule = scheduleRuns(spec);
    const record: SweepRecord = {
      format: SWEEP_RECORD_FORMAT,
      id,
      name: spec.name || defaultName(spec),
      spec,
      environment: captureEnvironment(this.host),
      status: 'running',
      startedAt: new Date().toISOString(),
      durationMs: 0,
      points: expandPoints(spec).map(({ index, settings }) => ({ index, settings })),
      runs: [],
      totalRuns: schedule.length,
    };
    return this.launch(record, schedule);
  }

  /**
   * Runs what a stopped, failed or interrupted sweep is missing: every
   * scheduled (point, repeat) without a completed run, in the original order.
   * Its finished runs stay; the new ones join the same record.
   */
  async resume(sweepId: string): Promise<{ sweepId: string; done: Promise<SweepRecord>; missing: number }> {
    if (this.active.has(sweepId)) throw new TunebenchError('TB_SWEEP_RUNNING', { id: sweepId });
    const saved = await this.store.get(sweepId);
    const missing = missingRuns(saved);
    if (!missing.length) throw new TunebenchError('TB_SWEEP_COMPLETE', { id: sweepId });
    const points = expandPoints(saved.spec as SweepSpec);
    for (const index of new Set(missing.map((planned) => planned.point))) this.runs.check(points[index]!.spec);
    const { endedAt: _endedAt, error: _error, ...rest } = saved;
    const record: SweepRecord = { ...rest, status: 'running', runs: [...saved.runs] };
    return { ...this.launch(record, missing), missing: missing.length };
  }

  private launch(record: SweepRecord, schedule: ScheduledRun[]): { sweepId: string; done: Promise<SweepRecord> } {
    const sweep: ActiveSweep = { controller: new AbortController(), currentRunId: undefined, done: Promise.resolve(record) };
    sweep.done = this.execute(record, sweep, schedule);
    this.active.set(record.id, sweep);
    return { sweepId: record.id, done: sweep.done };
  }

  async stop(sweepId: string): Promise<SweepRecord> {
    const sweep = this.active.get(sweepId);
    if (!sweep) throw new TunebenchError('TB_SWEEP_NOT_ACTIVE', { id: sweepId });
    sweep.controller.abort();
    if (sweep.currentRunId) await this.runs.stop(sweep.currentRunId).catch(() => {});
    return sweep.done;
  }

  wait(sweepId: string): Promise<SweepRecord> | undefined {
    return this.active.get(sweepId)?.done;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.activeIds().map((id) => this.stop(id)));
  }

  private async execute(record: SweepRecord, sweep: ActiveSweep, schedule: ScheduledRun[]): Promise<SweepRecord> {
    // Let start() return its id before the first progress event.
    await Promise.resolve();
    const spec = record.spec as SweepSpec;
    const points = expandPoints(spec);
    // A resumed sweep's clock goes on from what it had spent.
    const started = performance.now() - record.durationMs;
    // Scheduled runs already satisfied: a resumed sweep's failed or stopped runs stay in its record but are run again, so they do not count.
    const doneBefore = record.totalRuns - schedule.length;
    let ran = 0;
    let status: RunStatus = 'completed';
    try {
      await this.store.save(record);
      for (const [position, planned] of schedule.entries()) {
        if (sweep.controller.signal.aborted) break;
        const point = points[planned.point]!;
        // The run's name, and what the sweep adds to it: the point's settings the name does not already say, and which repeat.
        const { runner, spec: checked } = this.runs.check(point.spec);
        const baseName = typeof checked.name === 'string' && checked.name ? checked.name : runner.defaultName(checked);
        const label = sweepRunLabel(baseName, point.settings, planned.repeat);
        const { runId, done } = this.runs.start(point.spec, {
          sweepId: record.id,
          point: planned.point,
          label,
          ...(planned.repeat >= 0 ? { repeats: spec.repeats } : {}),
        });
        sweep.currentRunId = runId;
        this.progress(record, started, doneBefore + position, planned.point, runId);
        const run: RunRecord = await done;
        sweep.currentRunId = undefined;
        record.runs.push({
          runId: run.id,
          point: planned.point,
          repeat: planned.repeat,
          status: run.status,
          durationMs: run.durationMs,
          summary: run.summary,
        });
        ran += 1;
        record.durationMs = Math.round(performance.now() - started);
        await this.store.save(record);
      }
      if (sweep.controller.signal.aborted) status = 'stopped';
    } catch (error) {
      status = 'failed';
      record.error = toErrorPayload(error);
    } finally {
      this.active.delete(record.id);
    }
    record.status = status;
    record.endedAt = new Date().toISOString();
    record.durationMs = Math.round(performance.now() - started);
    try {
      await this.store.save(record);
    } catch (error) {
      this.emit('log', { level: 'error', message: toErrorPayload(error).message, at: new Date().toISOString() });
    }
    this.progress(record, started, doneBefore + ran, record.runs.at(-1)?.point ?? 0);
    return record;
  }

  private progress(record: SweepRecord, started: number, done: number, point: number, runId?: string): void {
    const measured = record.runs;
    const meanMs = measured.length ? measured.reduce((sum, run) => sum + run.durationMs, 0) / measured.length : null;
    this.emit('sweep.progress', {
      sweepId: record.id,
      name: record.name,
      status: record.status,
      done,
      total: record.totalRuns,
      point,
      points: record.points.length,
      ...(runId ? { runId } : {}),
      elapsedMs: Math.round(performance.now() - started),
      etaMs: record.status === 'running' && meanMs !== null ? Math.round(meanMs * (record.totalRuns - done)) : null,
    });
  }
}

/** The scheduled runs of a sweep that have no completed run yet, in schedule order. */
export function missingRuns(record: SweepRecord): ScheduledRun[] {
  const completed = new Map<string, number>();
  for (const run of record.runs) {
    if (run.status !== 'completed') continue;
    const key = `${run.point}:${run.repeat}`;
    completed.set(key, (completed.get(key) ?? 0) + 1);
  }
  return scheduleRuns(record.spec as SweepSpec).filter((planned) => {
    const key = `${planned.point}:${planned.repeat}`;
    const left = completed.get(key) ?? 0;
    if (left === 0) return true;
    // Warm-ups share one (point, repeat -1) key: each completed one covers one planned.
    completed.set(key, left - 1);
    return false;
  });
}

function newSweepId(kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '');
  return `${stamp}-sweep-${kind}-${randomBytes(3).toString('hex')}`;
}

function defaultName(spec: SweepSpec): string {
  const axes = spec.axes.map((axis) => axis.path).join(' × ');
  return axes ? `${spec.base.kind} sweep over ${axes}` : `${spec.base.kind} × ${spec.repeats} repeats`;
}
