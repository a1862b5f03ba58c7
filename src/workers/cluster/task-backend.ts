import { join } from 'node:path';
import { Piscina } from 'piscina';
import { isJobFailure, type PoolJobReply } from '../../shared/pool-protocol.js';
import type { TaskName, TaskResultSummary } from '../../shared/specs/tasks.js';
import { runTask } from '../tasks/index.js';
import { HttpError } from './http-params.js';
import type { ServerConfig } from './server-protocol.js';

/** Jobs allowed to wait for a pool thread; beyond it the server answers 503 instead of queueing without bound. */
const MAX_QUEUE = 1_000;

/** Where a server's compute endpoints run: on its worker-thread pool (offload) or on its event loop. */
export interface TaskBackend {
  run(name: TaskName, params: Record<string, number>): Promise<TaskResultSummary>;
  status(): Record<string, unknown>;
  close(): Promise<void>;
}

export function createTaskBackend(config: ServerConfig): TaskBackend {
  return config.offload ? new PooledTasks(config) : new InlineTasks();
}

class InlineTasks implements TaskBackend {
  private completed = 0;

  async run(name: TaskName, params: Record<string, number>): Promise<TaskResultSummary> {
    const summary = runTask(name, params);
    this.completed++;
    return summary;
  }

  status(): Record<string, unknown> {
    return { offload: false, threads: 0, completed: this.completed, queued: 0 };
  }

  async close(): Promise<void> {}
}

class PooledTasks implements TaskBackend {
  private readonly pool: Piscina;

  constructor(config: ServerConfig) {
    this.pool = new Piscina({
      filename: join(config.workersDir, 'pool-worker.js'),
      minThreads: config.poolThreads,
      maxThreads: config.poolThreads,
      maxQueue: MAX_QUEUE,
    });
  }

  async run(name: TaskName, params: Record<string, number>): Promise<TaskResultSummary> {
    if (this.pool.queueSize >= MAX_QUEUE) throw new HttpError(503, `task queue is full (${MAX_QUEUE} waiting)`);
    const reply = (await this.pool.run({ name, params })) as PoolJobReply;
    if (isJobFailure(reply)) throw new HttpError(500, reply.error.message);
    return reply.summary;
  }

  status(): Record<string, unknown> {
    return {
      offload: true,
      threads: this.pool.threads.length,
      completed: this.pool.completed,
      queued: this.pool.queueSize,
      utilization: Math.round(this.pool.utilization * 1000) / 1000,
    };
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
