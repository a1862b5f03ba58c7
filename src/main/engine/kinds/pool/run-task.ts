import type { TaskRef } from '../../../../shared/specs/index.js';
import type { TaskResultSummary } from '../../../../shared/specs/tasks.js';
import { createTaskPool } from './create-pool.js';
import { parseTaskRef } from './task-ref.js';

/**
 * Runs one task once on its own one-thread pool (the 'tasks.run' call, the
 * CLI's `tunebench task`). durationMs is the task's time inside the worker,
 * without thread start-up.
 */
export async function runTaskOnce(
  task: TaskRef,
  workersDir: string,
): Promise<{ task: string; result: TaskResultSummary; durationMs: number }> {
  const job = parseTaskRef(task);
  const pool = createTaskPool({ implementation: 'piscina', threads: 1, maxQueue: 0 }, workersDir);
  try {
    const { summary, runMs } = await pool.run(job);
    return { task: job.name, result: summary, durationMs: Math.round(runMs * 1000) / 1000 };
  } finally {
    await pool.dispose();
  }
}
