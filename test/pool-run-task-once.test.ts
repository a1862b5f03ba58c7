import { describe, expect, it } from 'vitest';
import { runTaskOnce } from '../src/main/engine/kinds/pool/run-task.js';
import { rejection, workersDir } from './fixtures/pools.js';

describe('runTaskOnce: one task on its own one-thread pool', () => {
  it('returns the summary and the time the task took in the worker', async () => {
    const outcome = await runTaskOnce({ name: 'primes', params: { limit: 1_000_000 } }, workersDir);
    expect(outcome.task).toBe('primes');
    expect(outcome.result).toEqual({ count: 78498, largest: 999983 });
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('refuses bad parameters before starting a worker', async () => {
    const error = await rejection(runTaskOnce({ name: 'fibonacci', params: { n: 46 } }, workersDir), 'TB_INVALID_TASK_PARAMS');
    expect(error.message).toContain('n:');
  });

  it('names the missing build when the worker files are not there', async () => {
    const error = await rejection(runTaskOnce({ name: 'spin', params: { ms: 1 } }, '/nonexistent/workers'), 'TB_NOT_BUILT');
    expect(error.message).toBe('/nonexistent/workers/pool-worker.js is missing: build the workers first (npm run build)');
  });
});
