import { describe, expect, it } from 'vitest';
import type { StreamPayload } from '../src/shared/contract.js';
import { engineFactory } from './fixtures/engine.js';

describe('pool kind: a stopped run', () => {
  const engines = engineFactory();

  it('is saved as stopped with what it measured up to the stop', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 5 } },
        pool: { implementation: 'piscina', threads: 2, maxQueue: 100 },
        jobs: 100_000,
        concurrency: 8,
        sampleIntervalMs: 50,
      },
    });
    // Until 20 jobs are done, or the run ended by itself (which the status check below then reports).
    await new Promise<void>((resolve) => {
      const dispose = engine.onStream((stream, payload) => {
        const frame = payload as StreamPayload<'run.frame'>;
        const status = payload as StreamPayload<'run.status'>;
        const progressed = stream === 'run.frame' && frame.runId === runId && (frame.progress?.done ?? 0) >= 20;
        const ended = stream === 'run.status' && status.runId === runId && status.status !== 'running';
        if (progressed || ended) {
          dispose();
          resolve();
        }
      });
    });

    await expect(engine.call('runs.stop', { runId })).resolves.toEqual({ runId, status: 'stopped' });
    const { run } = await engine.call('runs.get', { runId });
    expect(run.status).toBe('stopped');
    const completed = run.summary.completed!.value;
    expect(completed).toBeGreaterThanOrEqual(20);
    expect(completed).toBeLessThan(100_000);
    expect(run.summary.failed!.value).toBe(0);
    expect(run.summary.runP50!.value).toBeGreaterThanOrEqual(5);
    expect(run.series.throughput!.v.length).toBeGreaterThan(0);
    expect(run.events.map((event) => event.type)).toContain('stopped');
    expect(engine.runs.activeRuns()).toEqual([]);
  });
});
