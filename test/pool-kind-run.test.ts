import { describe, expect, it } from 'vitest';
import type { StreamPayload } from '../src/shared/contract.js';
import { engineFactory } from './fixtures/engine.js';
import { implementations } from './fixtures/pools.js';

describe.each(implementations)('pool kind on the %s pool, through the engine', (implementation) => {
  const engines = engineFactory();

  it('runs every job and records real series, distributions and a summary', async () => {
    const engine = await engines.open(await engines.tempDir());
    const frames: StreamPayload<'run.frame'>[] = [];
    engine.onStream((stream, payload) => {
      if (stream === 'run.frame') frames.push(payload as StreamPayload<'run.frame'>);
    });
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 2 } },
        pool: { implementation, threads: 2, maxQueue: 100 },
        jobs: 150,
        concurrency: 6,
        sampleIntervalMs: 50,
        // Every job measured (the warm-up is pool-kind-warmup.test.ts's).
        warmupSec: 0,
      },
    });
    const record = await engine.runs.wait(runId)!;

    expect(record.error, record.error?.message).toBeUndefined();
    expect(record.status).toBe('completed');
    const { summary, series, distributions } = record;
    expect(summary.completed).toMatchObject({ value: 150, unit: 'jobs' });
    expect(summary.failed!.value).toBe(0);
    expect(summary.rejected!.value).toBe(0);
    expect(summary.throughput).toMatchObject({ unit: 'jobs/s', better: 'higher' });
    // Two threads of 2 ms jobs cannot exceed 1000 jobs/s.
    expect(summary.throughput!.value).toBeGreaterThan(0);
    expect(summary.throughput!.value).toBeLessThanOrEqual(1000);
    expect(summary.runP50!.value).toBeGreaterThanOrEqual(2);
    expect(summary.runMax!.value).toBeGreaterThanOrEqual(summary.runP99!.value);
    expect(summary.runP99!.value).toBeGreaterThanOrEqual(summary.runP50!.value);
    // Six in flight on two threads: most jobs queued behind two others.
    expect(summary.waitP95!.value).toBeGreaterThan(0);
    expect(summary.utilisation!.value).toBeGreaterThan(0);
    expect(summary.utilisation!.value).toBeLessThanOrEqual(100);
    expect(summary.eldP99!.unit).toBe('ms');
    expect(summary.elu!.unit).toBe('percent');
    expect(summary.duration!.value).toBeGreaterThan(0);

    for (const name of ['throughput', 'completed', 'queueDepth', 'utilisation', 'runP50', 'runP95', 'waitP99', 'elu']) {
      const points = series[name]!;
      expect(points.label, name).toBeTruthy();
      expect(points.v.length, name).toBeGreaterThan(0);
      expect(points.t.length, name).toBe(points.v.length);
      for (const value of points.v) expect(Number.isFinite(value), name).toBe(true);
    }
    expect(series.throughput!.unit).toBe('jobs/s');
    expect(Math.max(...series.throughput!.v)).toBeGreaterThan(0);
    expect(series.completed!.v.at(-1)).toBe(150);
    expect(Math.min(...series.runP50!.v)).toBeGreaterThanOrEqual(2);

    expect(distributions.runMs).toMatchObject({ unit: 'ms', observed: 150 });
    expect(distributions.waitMs!.values).toHaveLength(150);

    expect(frames.length).toBeGreaterThan(0);
    expect(frames.at(-1)!.progress).toEqual({ done: 150, total: 150 });
  });
});
