import { describe, expect, it } from 'vitest';
import { fibonacci, implementations, poolFactory, rejection, spin } from './fixtures/pools.js';

describe.each(implementations)('%s pool: resize between runs', (implementation) => {
  const createPool = poolFactory(implementation);

  it('grows and shrinks an idle pool; the new threads take jobs', async () => {
    const pool = createPool({ threads: 1, maxQueue: 10 });
    await pool.run(fibonacci(10));

    await pool.resize(3);
    const three = [pool.run(spin(50)), pool.run(spin(50)), pool.run(spin(50))];
    expect(pool.status()).toMatchObject({ threads: 3, busy: 3, queued: 0 });
    await Promise.all(three);

    await pool.resize(1);
    const one = [pool.run(spin(20)), pool.run(spin(20))];
    expect(pool.status()).toMatchObject({ threads: 1, busy: 1, queued: 1 });
    await Promise.all(one);
    expect(pool.status().completed).toBe(6);
  });

  it('refuses to resize while jobs are in flight, and refuses a bad count', async () => {
    const pool = createPool({ threads: 1 });
    const running = pool.run(spin(100));
    const busy = await rejection(pool.resize(2), 'TB_RESIZE_DURING_RUN');
    expect(busy.message).toBe('resize is only possible between runs; 1 jobs are still in flight');
    await running;
    const bad = await rejection(pool.resize(0), 'TB_OPTION_OUT_OF_RANGE');
    expect(bad.message).toBe('threads must be an integer from 1 to 64');
  });
});
