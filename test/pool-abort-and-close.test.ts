import { describe, expect, it } from 'vitest';
import { fibonacci, implementations, poolFactory, rejection, spin } from './fixtures/pools.js';

describe.each(implementations)('%s pool: abort, close and dispose', (implementation) => {
  const createPool = poolFactory(implementation);

  it('an aborted signal cancels a queued job and ends a running one; the pool carries on', async () => {
    const pool = createPool({ threads: 1 });
    const runningControl = new AbortController();
    const queuedControl = new AbortController();
    const running = pool.run(spin(20_000), { signal: runningControl.signal });
    const queued = pool.run(spin(20_000), { signal: queuedControl.signal });
    const survivor = pool.run(fibonacci(10));

    queuedControl.abort();
    await rejection(queued, 'TB_JOB_ABORTED');
    runningControl.abort();
    await rejection(running, 'TB_JOB_ABORTED');
    await expect(survivor).resolves.toMatchObject({ summary: { value: 55 } });
    expect(pool.status()).toMatchObject({ threads: 1, busy: 0, queued: 0, completed: 1, failed: 0 });
  });

  it('refuses a job whose signal is already aborted', async () => {
    const pool = createPool();
    await rejection(pool.run(spin(1), { signal: AbortSignal.abort() }), 'TB_JOB_ABORTED');
  });

  it('close rejects queued jobs with TB_POOL_CLOSED and lets the running one finish', async () => {
    const pool = createPool({ threads: 1 });
    const running = pool.run(spin(100));
    const queued = pool.run(spin(1));
    const closed = pool.close();
    await rejection(queued, 'TB_POOL_CLOSED');
    await expect(running).resolves.toMatchObject({ summary: { ms: 100 } });
    await closed;
    await rejection(pool.run(spin(1)), 'TB_POOL_CLOSED');
  });

  it('dispose ends a running job at once with TB_POOL_CLOSED', async () => {
    const pool = createPool({ threads: 1 });
    const running = rejection(pool.run(spin(30_000)), 'TB_POOL_CLOSED');
    await pool.dispose();
    await running;
    expect(pool.status()).toMatchObject({ busy: 0, queued: 0 });
  });
});
