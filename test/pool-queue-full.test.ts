import { describe, expect, it } from 'vitest';
import { implementations, poolFactory, rejection, spin } from './fixtures/pools.js';

describe.each(implementations)('%s pool: a full queue', (implementation) => {
  const createPool = poolFactory(implementation);

  it('rejects the job beyond threads + maxQueue with TB_QUEUE_FULL, and the accepted ones still run', async () => {
    const pool = createPool({ threads: 1, maxQueue: 2 });
    const accepted = [pool.run(spin(100)), pool.run(spin(1)), pool.run(spin(1))];
    const error = await rejection(pool.run(spin(1)), 'TB_QUEUE_FULL');
    expect(error.message).toBe('Task queue is full (max 2 queued jobs)');
    expect(pool.status()).toMatchObject({ busy: 1, queued: 2 });
    await Promise.all(accepted);
    expect(pool.status()).toMatchObject({ completed: 3, failed: 0, queued: 0 });
  });

  it('with maxQueue 0 accepts only as many jobs as there are threads', async () => {
    const pool = createPool({ threads: 2, maxQueue: 0 });
    const accepted = [pool.run(spin(50)), pool.run(spin(50))];
    await rejection(pool.run(spin(1)), 'TB_QUEUE_FULL');
    await Promise.all(accepted);
  });
});
