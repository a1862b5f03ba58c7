import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('pool kind: saved runs', () => {
  const engines = engineFactory();

  it('are listed, with their headline, by a new engine opening the same data directory', async () => {
    const dataDir = await engines.tempDir();
    const first = await engines.open(dataDir);
    const { runId } = await first.call('runs.start', {
      spec: { kind: 'pool', task: { name: 'fibonacci', params: { n: 18 } }, jobs: 50 },
    });
    const record = await first.runs.wait(runId)!;
    await first.dispose();

    const second = await engines.open(dataDir);
    const { runs } = await second.call('runs.list', {});
    const listed = runs.find((run) => run.id === runId);
    expect(listed).toMatchObject({ kind: 'pool', status: 'completed', name: expect.stringMatching(/^fibonacci\(18\) · piscina · \d+ threads? · 50 jobs$/) });
    expect(Object.keys(listed!.headline).sort()).toEqual(['runP95', 'throughput', 'waitP95']);
    expect(listed!.headline.throughput).toEqual(record.summary.throughput);
    const { run } = await second.call('runs.get', { runId });
    expect(run.summary).toEqual(record.summary);
  });
});
