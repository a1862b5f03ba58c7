import { describe, expect, it } from 'vitest';
import type { JobResult } from '../src/main/engine/kinds/pool/task-pool.js';
import { implementations, poolFactory, spin } from './fixtures/pools.js';

const JOBS = 40;
const IN_FLIGHT = 8;

describe.each(implementations)('%s pool: queued jobs', (implementation) => {
  const createPool = poolFactory(implementation);

  // piscina without stricterFIFO puts a job it could not hand out back at the tail of its
  // queue, so under a closed loop early jobs waited until the very end of a run.
  it('start in the order they were submitted under a closed loop on one thread', async () => {
    const pool = createPool({ threads: 1, maxQueue: 100 });
    const started: Array<{ index: number; startedAt: number }> = [];
    let submitted = 0;
    await new Promise<void>((resolve, reject) => {
      const submit = () => {
        const index = submitted++;
        pool.run(spin(2)).then((result: JobResult) => {
          started.push({ index, startedAt: result.startedAt });
          if (submitted < JOBS) submit();
          else if (started.length === JOBS) resolve();
        }, reject);
      };
      for (let i = 0; i < IN_FLIGHT; i++) submit();
    });
    const startOrder = [...started].sort((a, b) => a.startedAt - b.startedAt).map((job) => job.index);
    expect(startOrder).toEqual(Array.from({ length: JOBS }, (_, index) => index));
  });
});
