import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('pool kind: the time limit', () => {
  const engines = engineFactory();

  it('ends the run by itself, keeping what it measured and saying why', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 10 } },
        pool: { implementation: 'simple', threads: 1, maxQueue: 10 },
        jobs: 100_000,
        concurrency: 2,
        timeLimitSec: 1,
      },
    });
    const record = await engine.runs.wait(runId)!;
    expect(record.status).toBe('completed');
    expect(record.summary.completed!.value).toBeGreaterThan(0);
    expect(record.summary.completed!.value).toBeLessThan(100_000);
    const limit = record.events.find((event) => event.type === 'time-limit');
    expect(limit?.message).toMatch(/^Time limit of 1 s reached after \d+ of 100000 jobs$/);
  });
});
