import type { PoolSettings } from '../../../../shared/specs/index.js';
import { PiscinaPool } from './piscina-pool.js';
import { SimplePool } from './simple-pool.js';
import { workerFileFor, type TaskPool } from './task-pool.js';

/** The pool a spec's settings ask for, started from the built workers in workersDir. */
export function createTaskPool(settings: PoolSettings, workersDir: string): TaskPool {
  const options = {
    workerFile: workerFileFor(settings.implementation, workersDir),
    threads: settings.threads,
    maxQueue: settings.maxQueue,
    ...(settings.maxOldGenerationMb === undefined ? {} : { maxOldGenerationMb: settings.maxOldGenerationMb }),
  };
  return settings.implementation === 'simple' ? new SimplePool(options) : new PiscinaPool(options);
}
