import { describe, expect, it } from 'vitest';
import { analyzeSweep } from '../src/main/engine/studies/analysis.js';
import { measuredSweep } from './fixtures/measured-sweep.js';

describe('sweep analysis resamples runs, not values', () => {
  it('pairs the target metric and the objective from the same runs in every resample', () => {
    // 1 thread: one run fast with a low p99, one slow with a high p99 (mean 200 jobs/s, p99 50 ms).
    // 2 threads: steady 150 jobs/s at 30 ms. Target p99 <= 50 ms.
    const sweep = measuredSweep({ 1: [[300, 40], [100, 60]], 2: [[150, 30], [150, 30]] });
    const analysis = analyzeSweep(sweep, { target: { metric: 'waitP99', op: '<=', value: 50 } });
    expect(analysis.best?.settings).toEqual({ 'pool.threads': 1 });
    // Resampling runs: {fast, fast} meets the target at 300, {slow, slow} misses it, a mix is 200 at 50 ms:
    // 1 thread is best in 3 of 4 resamples. Resampling each metric on its own would mix the fast run's
    // throughput with the slow run's p99, which no run measured, and give 3/4 · 3/4 = 9/16.
    expect(analysis.best!.confidence).toBeGreaterThan(0.71);
    expect(analysis.best!.confidence).toBeLessThan(0.79);
  });

  it('keeps a run that missed a metric out of that metric only', () => {
    const sweep = measuredSweep({ 1: [[100, 80], [110, 82]], 2: [[200, 45], [210, 44]] });
    // The second run of 2 threads did not report its p99.
    const entry = sweep.runs.find((run) => run.runId === 'run-2-1')!;
    delete (entry.summary as Record<string, unknown>).waitP99;
    const analysis = analyzeSweep(sweep);
    expect(analysis.points[1]!.metrics.waitP99).toMatchObject({ mean: 45, n: 1 });
    expect(analysis.points[1]!.metrics.throughput).toMatchObject({ mean: 205, n: 2 });
  });
});
