import { describe, expect, it } from 'vitest';
import { implementations, poolFactory, spin } from './fixtures/pools.js';

describe.each(implementations)('%s pool: status', (implementation) => {
  const createPool = poolFactory(implementation);

  it('shows busy, idle and queued while jobs wait, then the completed count and busy time', async () => {
    const pool = createPool({ threads: 2, maxQueue: 10 });
    expect(pool.status()).toMatchObject({ threads: 2, busy: 0, idle: 2, queued: 0, completed: 0, failed: 0 });

    const jobs = [1, 2, 3, 4, 5].map(() => pool.run(spin(40)));
    expect(pool.status()).toMatchObject({ threads: 2, busy: 2, idle: 0, queued: 3 });

    const results = await Promise.all(jobs);
    const status = pool.status();
    expect(status).toMatchObject({ threads: 2, busy: 0, idle: 2, queued: 0, completed: 5, failed: 0 });
    // Five 40 ms spins kept the workers busy for at least 200 ms between them.
    expect(status.busyMs).toBeGreaterThanOrEqual(200);
    for (const result of results) {
      expect(result.runMs).toBeGreaterThanOrEqual(40);
      expect(result.waitMs).toBeGreaterThanOrEqual(0);
      expect(result.finishedAt).toBeGreaterThanOrEqual(result.startedAt);
    }
    // With two threads, the last of five jobs waited for two earlier rounds of 40 ms.
    expect(Math.max(...results.map((result) => result.waitMs))).toBeGreaterThanOrEqual(40);
  });
});
