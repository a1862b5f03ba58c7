import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fibonacci, implementations, poolFactory, spin } from './fixtures/pools.js';

const brokenWorker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'broken-worker.mjs');

describe.each(implementations)('%s pool: ready()', (implementation) => {
  const createPool = poolFactory(implementation);

  it('resolves when every thread has started, so the first jobs do not wait for thread start-up', async () => {
    const threads = 4;
    const cold = createPool({ threads, maxQueue: 10 });
    // Without waiting: the first jobs wait for their threads to load.
    const coldWaits = (await Promise.all(Array.from({ length: threads }, () => cold.run(spin(1))))).map((job) => job.waitMs);

    const pool = createPool({ threads, maxQueue: 10 });
    await pool.ready();
    const results = await Promise.all(Array.from({ length: threads }, () => pool.run(spin(1))));
    const waits = results.map((job) => job.waitMs);
    // One job per thread, each started at once: no thread was still starting.
    // Relative to the cold pool's, not a fixed bound: on a busy machine a warm thread can still take a few ms to be scheduled.
    expect(Math.max(...waits)).toBeLessThan(Math.max(...coldWaits));
    // The no-op handshake is not a job: nothing completed or failed before the real ones.
    expect(pool.status()).toMatchObject({ completed: threads, failed: 0, queued: 0 });
    await expect(pool.ready()).resolves.toBeUndefined();
  });

  it('resolves for a pool whose workers cannot start, whose jobs then fail with the cause', async () => {
    const pool = createPool({ workerFile: brokenWorker, threads: 2, maxQueue: 10 });
    await pool.ready();
    const error = await pool.run(fibonacci(5)).catch((thrown: { code: string; message: string }) => thrown);
    expect(error).toMatchObject({ code: 'TB_WORKER_CRASHED' });
  });

  it('resolves for a closed pool', async () => {
    const pool = createPool({ threads: 2 });
    await pool.close();
    await expect(pool.ready()).resolves.toBeUndefined();
  });
});
