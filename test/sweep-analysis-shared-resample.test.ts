import { describe, expect, it } from 'vitest';
import { analyzeSweep } from '../src/main/engine/studies/analysis.js';
import { measuredSweep } from './fixtures/measured-sweep.js';

describe('sweep analysis judges per-run values', () => {
  it('weighs a fast and a slow run by Student\'s t, not by resampling two values', () => {
    // 1 thread: one run fast, one slow (300 and 100 jobs/s, p99 40 and 60 ms); 2 threads: a steady 150 at 30 ms.
    // Target p99 <= 50 ms: both qualify, 1 thread has the better mean (200). On the log scale with 2 degrees
    // of freedom that is barely better than a coin toss, where resampling the runs said 3 in 4.
    const sweep = measuredSweep({ 1: [[300, 40], [100, 60]], 2: [[150, 30], [150, 30]] }, 'completed', 10_000);
    const analysis = analyzeSweep(sweep, { target: { metric: 'waitP99', op: '<=', value: 50 } });
    expect(analysis.best?.settings).toEqual({ 'pool.threads': 1 });
    expect(analysis.best!.confidence).toBeGreaterThan(0.55);
    expect(analysis.best!.confidence).toBeLessThan(0.65);
    expect(analysis.best!.decisive).toBe(false);
    expect(analysis.best!.toDecide).toEqual(['more repeats (2 per point now, 5 recommended)']);
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
