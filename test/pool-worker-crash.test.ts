import { describe, expect, it } from 'vitest';
import { exhaustHeapJob, fibonacci, heapHogWorkerFile, implementations, poolFactory, rejection } from './fixtures/pools.js';

describe.each(implementations)('%s pool: a worker that runs out of memory', (implementation) => {
  const createPool = poolFactory(implementation);

  it('fails only its own job; the worker is replaced and the queued jobs still run', async () => {
    const pool = createPool({ workerFile: heapHogWorkerFile[implementation], threads: 1, maxOldGenerationMb: 16 });
    const doomed = pool.run(exhaustHeapJob);
    const after = [pool.run(fibonacci(20)), pool.run(fibonacci(21))];

    const error = await rejection(doomed, 'TB_WORKER_CRASHED');
    expect(error.message).toContain('ERR_WORKER_OUT_OF_MEMORY');
    expect(error.message).toContain('"exhaustHeap"');
    const results = await Promise.all(after);
    expect(results.map((result) => result.summary)).toEqual([{ value: 6765 }, { value: 10946 }]);

    expect(pool.status()).toMatchObject({ threads: 1, busy: 0, idle: 1, queued: 0, completed: 2, failed: 1 });
    await expect(pool.run(fibonacci(10))).resolves.toMatchObject({ summary: { value: 55 } });
  });
});
