/**
 * Messages between the engine's task pools and their worker threads. Both
 * pool implementations speak it, so the engine maps results and failures the
 * same way whichever pool ran the job.
 */
import type { ErrorPayload } from './errors.js';
import type { TaskResultSummary } from './specs/tasks.js';

/** What a worker replies for one job; times are epoch milliseconds measured in the worker. */
export type PoolJobReply = PoolJobSuccess | PoolJobFailure;

export interface PoolJobSuccess {
  summary: TaskResultSummary;
  /** performance.timeOrigin + performance.now() when the task began: comparable across threads. */
  startedAt: number;
  runMs: number;
}

/**
 * A task that threw is reported as a value, not a thrown error, so the pool
 * can tell it apart from a worker that died.
 */
export interface PoolJobFailure {
  error: ErrorPayload;
  startedAt: number;
  runMs: number;
}

/** The simple pool's workers announce they loaded, so a worker that cannot even start is not respawned forever. */
export interface PoolWorkerReady {
  ready: true;
}

/**
 * The no-op a pool sends each thread to learn that it has started (piscina
 * marks its first workers ready before they have loaded anything): a worker
 * answers it with PoolWorkerReady without running a task.
 */
export const READY_PROBE_JOB = { ready: true } as const;

export function isReadyProbe(job: unknown): boolean {
  return typeof job === 'object' && job !== null && (job as { ready?: unknown }).ready === true;
}

export function isJobFailure(reply: PoolJobReply): reply is PoolJobFailure {
  return 'error' in reply;
}
