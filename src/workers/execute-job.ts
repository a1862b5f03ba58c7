import { TunebenchError } from '../shared/errors.js';
import type { PoolJobReply } from '../shared/pool-protocol.js';
import { isTaskName, runTask, tasks } from './tasks/index.js';

/** A job as it reaches a worker: a task reference whose params the engine has validated. */
export interface PoolJob {
  name: string;
  params: unknown;
}

/**
 * Runs one job and always returns a reply: a task that throws becomes a
 * failure value, so only a dying worker ever rejects on the pool side.
 */
export function executeJob(job: PoolJob): PoolJobReply {
  const start = performance.now();
  const startedAt = performance.timeOrigin + start;
  const name: unknown = job?.name;
  try {
    if (!isTaskName(name)) {
      throw new TunebenchError('TB_UNKNOWN_TASK', { task: String(name), known: Object.keys(tasks).join(', ') });
    }
    return { summary: runTask(name, job.params), startedAt, runMs: performance.now() - start };
  } catch (error) {
    const payload =
      error instanceof TunebenchError
        ? error.toPayload()
        : new TunebenchError('TB_TASK_FAILED', {
            task: String(name),
            detail: error instanceof Error ? error.message : String(error),
          }).toPayload();
    return { error: payload, startedAt, runMs: performance.now() - start };
  }
}
