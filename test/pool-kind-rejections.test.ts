import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('pool kind: more jobs in flight than the pool accepts', () => {
  const engines = engineFactory();

  it('counts queue-full rejections, records them as events and completes the rest', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 2 } },
        pool: { implementation: 'simple', threads: 1, maxQueue: 0 },
        jobs: 40,
        concurrency: 4,
      },
    });
    const record = await engine.runs.wait(runId)!;
    expect(record.status).toBe('completed');
    const { completed, rejected, failed } = record.summary;
    expect(rejected!.value).toBeGreaterThan(0);
    expect(completed!.value + rejected!.value).toBe(40);
    expect(failed!.value).toBe(0);
    const rejections = record.events.filter((event) => event.type === 'job-rejected');
    expect(rejections).toHaveLength(rejected!.value);
    expect(rejections[0]!.message).toBe('Task queue is full (max 0 queued jobs)');
  });
});
