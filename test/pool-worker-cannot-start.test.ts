import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fibonacci, implementations, poolFactory } from './fixtures/pools.js';

const brokenWorker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'broken-worker.mjs');

describe.each(implementations)('%s pool: workers that cannot start', (implementation) => {
  const createPool = poolFactory(implementation);

  it('fail every job with TB_WORKER_CRASHED instead of leaving them waiting', async () => {
    const pool = createPool({ workerFile: brokenWorker, threads: 1, maxQueue: 10 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => pool.run(fibonacci(5))));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as { code: string; message: string };
      expect(reason.code).toBe('TB_WORKER_CRASHED');
      expect(reason.message).toContain('this worker cannot start');
    }
    const later = await pool.run(fibonacci(5)).catch((error: { code: string; message: string }) => error);
    expect(later).toMatchObject({ code: 'TB_WORKER_CRASHED' });
    expect((later as { message: string }).message).toMatch(/workers fail to start/);
  });
});
