import { existsSync } from 'node:fs';
import path from 'node:path';
import { TunebenchError } from '../../../../shared/errors.js';
import { isJobFailure, type PoolJobReply } from '../../../../shared/pool-protocol.js';
import { PoolSettingsSchema, type PoolImplementation, type TaskRef } from '../../../../shared/specs/index.js';
import type { TaskResultSummary } from '../../../../shared/specs/tasks.js';
import type { Disposable } from '../../disposable.js';

export interface PoolOptions {
  /** The built worker entry this pool starts (see workerFileFor). */
  workerFile: string;
  threads: number;
  /** Jobs allowed to wait for a worker; 0 means a job is rejected unless a worker is free. */
  maxQueue: number;
  /** resourceLimits.maxOldGenerationSizeMb of every worker. */
  maxOldGenerationMb?: number;
}

export interface RunJobOptions {
  /** Aborting cancels a queued job, or ends the worker running it (the pool replaces the worker). */
  signal?: AbortSignal;
}

export interface JobResult {
  summary: TaskResultSummary;
  /** Epoch milliseconds, comparable across threads. */
  submittedAt: number;
  startedAt: number;
  finishedAt: number;
  /** Time queued before a worker began the task. */
  waitMs: number;
  /** Time the task ran, measured inside the worker. */
  runMs: number;
}

export interface PoolStatus {
  threads: number;
  busy: number;
  idle: number;
  queued: number;
  completed: number;
  /** Jobs whose task threw or whose worker died; aborted and rejected jobs are not failures. */
  failed: number;
  /** Worker-busy milliseconds summed over all threads since the pool started, including jobs still running. */
  busyMs: number;
}

/** The one interface both pool implementations offer, so a run can switch between them by a setting. */
export interface TaskPool extends Disposable {
  readonly implementation: PoolImplementation;
  /** Runs one validated task; rejects with TB_QUEUE_FULL, TB_TASK_FAILED, TB_WORKER_CRASHED, TB_JOB_ABORTED or TB_POOL_CLOSED. */
  run(job: TaskRef, options?: RunJobOptions): Promise<JobResult>;
  /**
   * Resolves once every thread has started (loaded its worker file and can
   * take a job), so a run's clock does not count thread start-up. Never
   * rejects: a pool whose workers cannot start resolves too, and fails its jobs.
   */
  ready(): Promise<void>;
  status(): PoolStatus;
  /** Changes the thread count; only between runs (nothing in flight). */
  resize(threads: number): Promise<void>;
  /** Rejects queued jobs, lets running ones finish for up to CLOSE_GRACE_MS, then ends the workers. */
  close(): Promise<void>;
  /** Ends every worker at once; everything in flight rejects with TB_POOL_CLOSED. */
  dispose(): Promise<void>;
}

/** The mutable machinery behind a TaskPool; kept behind a private field so callers see only the TaskPool surface. */
export interface PoolCore {
  run(job: TaskRef, signal: AbortSignal | undefined): Promise<JobResult>;
  ready(): Promise<void>;
  status(): PoolStatus;
  resize(threads: number): Promise<void>;
  close(): Promise<void>;
  dispose(): Promise<void>;
}

/** The TaskPool surface every implementation shares; each subclass supplies only its core and name. */
export abstract class CorePool implements TaskPool {
  abstract readonly implementation: PoolImplementation;
  readonly #core: PoolCore;

  protected constructor(core: PoolCore) {
    this.#core = core;
  }

  run(job: TaskRef, options: RunJobOptions = {}): Promise<JobResult> {
    return this.#core.run(job, options.signal);
  }

  ready(): Promise<void> {
    return this.#core.ready();
  }

  status(): PoolStatus {
    return this.#core.status();
  }

  resize(threads: number): Promise<void> {
    return this.#core.resize(threads);
  }

  close(): Promise<void> {
    return this.#core.close();
  }

  dispose(): Promise<void> {
    return this.#core.dispose();
  }
}

/** How long close() lets running jobs finish before their workers are terminated. */
export const CLOSE_GRACE_MS = 2_000;

const workerFiles: Record<PoolImplementation, string> = {
  piscina: 'pool-worker.js',
  simple: 'simple-pool-worker.js',
};

export function workerFileFor(implementation: PoolImplementation, workersDir: string): string {
  return path.join(workersDir, workerFiles[implementation]);
}

const settings = PoolSettingsSchema.shape;
/** Ranges come from the spec schema so the UI, the spec and the classes never disagree. */
const limits = {
  threads: settings.threads.unwrap(),
  maxQueue: settings.maxQueue.unwrap(),
  maxOldGenerationMb: settings.maxOldGenerationMb.unwrap(),
};

export function checkThreads(threads: unknown): number {
  return checkInteger('threads', threads, limits.threads.minValue ?? 1, limits.threads.maxValue ?? 64);
}

/** Throws a catalogued error naming the first bad option; returns a copy the pool may own. */
export function checkPoolOptions(options: PoolOptions): PoolOptions {
  if (!options || typeof options !== 'object') {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'pool options', rule: 'an object' });
  }
  if (typeof options.workerFile !== 'string' || !options.workerFile) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'workerFile', rule: 'the path of a built worker file' });
  }
  checkThreads(options.threads);
  checkInteger('maxQueue', options.maxQueue, limits.maxQueue.minValue ?? 0, limits.maxQueue.maxValue ?? 1_000_000);
  if (options.maxOldGenerationMb !== undefined) {
    const { minValue, maxValue } = limits.maxOldGenerationMb;
    checkInteger('maxOldGenerationMb', options.maxOldGenerationMb, minValue ?? 16, maxValue ?? 16_384);
  }
  if (!existsSync(options.workerFile)) {
    throw new TunebenchError('TB_NOT_BUILT', { file: options.workerFile });
  }
  return { ...options };
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: name, rule: `an integer from ${min} to ${max}` });
  }
  return value;
}

export function resourceLimitsOf(options: PoolOptions): { maxOldGenerationSizeMb: number } | undefined {
  return options.maxOldGenerationMb === undefined ? undefined : { maxOldGenerationSizeMb: options.maxOldGenerationMb };
}

/** A worker's death as one line, keeping Node's code (e.g. ERR_WORKER_OUT_OF_MEMORY) when it has one. */
export function describeWorkerError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message;
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Turns a worker's reply into the job's result, or throws the task's catalogued failure. */
export function toJobResult(reply: PoolJobReply, submittedAt: number, finishedAt: number): JobResult {
  if (isJobFailure(reply)) throw TunebenchError.fromPayload(reply.error);
  const { summary, startedAt, runMs } = reply;
  // Clocks of two threads can disagree by a fraction of a millisecond; a wait is never negative.
  return { summary, submittedAt, startedAt, finishedAt, waitMs: Math.max(0, startedAt - submittedAt), runMs };
}

/** Whether a failure counts against the task or its worker (not a rejection or cancellation). */
export function isJobFailureCode(code: string): boolean {
  return code === 'TB_TASK_FAILED' || code === 'TB_WORKER_CRASHED' || code === 'TB_UNKNOWN_TASK';
}

/**
 * Counters both pools keep, and the integral of running jobs over time: the
 * busy time utilisation is computed from. Running counts only change on the
 * main thread (a job dispatched, a reply received), so integrating between
 * those moments is exact from the main thread's point of view.
 */
export class JobAccounting {
  completed = 0;
  failed = 0;
  private running = 0;
  private busyMs = 0;
  private since = performance.now();

  setRunning(running: number, now = performance.now()): void {
    this.busyMs += this.running * (now - this.since);
    this.running = running;
    this.since = now;
  }

  settled(error: unknown): void {
    if (error === undefined) this.completed++;
    else if (error instanceof TunebenchError && isJobFailureCode(error.code)) this.failed++;
  }

  busyMsAt(now = performance.now()): number {
    return this.busyMs + this.running * (now - this.since);
  }
}
