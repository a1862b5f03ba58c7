import { describe, expect, it } from 'vitest';
import type { TaskRef } from '../src/shared/specs/index.js';
import { fibonacci, implementations, poolFactory, rejection } from './fixtures/pools.js';

// The engine validates parameters, so only a caller that skips validation can send these: the worker must survive them.
const negativeLimit = { name: 'primes', params: { limit: -5 } } as TaskRef;
const unknownTask = { name: 'teleport', params: {} } as unknown as TaskRef;

describe.each(implementations)('%s pool: a task that throws', (implementation) => {
  const createPool = poolFactory(implementation);

  it('fails only its job with TB_TASK_FAILED and the same worker takes the next job', async () => {
    const pool = createPool({ threads: 1 });
    const error = await rejection(pool.run(negativeLimit), 'TB_TASK_FAILED');
    expect(error.message).toMatch(/^Task "primes" failed: .*length/i);
    await expect(pool.run(fibonacci(15))).resolves.toMatchObject({ summary: { value: 610 } });
    expect(pool.status()).toMatchObject({ threads: 1, completed: 1, failed: 1 });
  });

  it('answers an unknown task name with TB_UNKNOWN_TASK from the worker', async () => {
    const pool = createPool({ threads: 1 });
    const error = await rejection(pool.run(unknownTask), 'TB_UNKNOWN_TASK');
    expect(error.message).toContain('"teleport"');
    await expect(pool.run(fibonacci(5))).resolves.toMatchObject({ summary: { value: 5 } });
  });
});
