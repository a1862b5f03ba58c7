import { describe, expect, it } from 'vitest';
import type { SweepSpecInput } from '../src/shared/specs/sweep.js';
import { engineFactory } from './fixtures/engine.js';
import { spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

/** Previews a sweep on a fresh engine: no saved runs, so only the kind's own plan can give a duration. */
async function previewOnEmptyStore(spec: SweepSpecInput) {
  const engine = await engines.open(await engines.tempDir());
  return engine.call('sweeps.preview', { spec });
}

describe('sweep preview before any run of the kind was saved', () => {
  it('plans a load sweep from warm-up + duration of each point, warm-up runs included', async () => {
    const preview = await previewOnEmptyStore({
      kind: 'sweep',
      base: { kind: 'load', target: { type: 'url', url: 'http://127.0.0.1:9/' }, load: { durationSec: 2, warmupSec: 1 } },
      axes: [{ path: 'load.durationSec', values: [2, 4] }],
      repeats: 2,
      warmup: 1,
      order: 'sequential',
    });
    // Sequential order puts the warm-up on point 0 (2 s + 1 s); the measured runs are 2 × (3 s + 5 s).
    expect(preview).toMatchObject({ points: 2, runs: 5, estimatedMs: 19_000, upperBoundMs: null });
    expect(preview.basis).toContain('planned durations of the 5 runs');
  });

  it('plans a db sweep from its duration', async () => {
    const preview = await previewOnEmptyStore({
      kind: 'sweep',
      base: { kind: 'db', workload: { type: 'pointSelect', rows: 100 }, durationSec: 1.5 },
      axes: [{ path: 'pool.max', values: [1, 2, 4] }],
      repeats: 2,
      warmup: 0,
    });
    expect(preview).toMatchObject({ points: 3, runs: 6, estimatedMs: 9_000 });
  });

  it('plans a memory sweep from its duration', async () => {
    const preview = await previewOnEmptyStore({
      kind: 'sweep',
      base: { kind: 'memory', scenario: 'churn', durationSec: 3, leakRule: { warmupSec: 0, sustainSec: 2 } },
      axes: [{ path: 'rate', values: [100, 200] }],
      repeats: 1,
      warmup: 0,
    });
    expect(preview).toMatchObject({ points: 2, runs: 2, estimatedMs: 6_000 });
  });

  it('has no plan for a pool sweep, only the time limits as an upper bound', async () => {
    const preview = await previewOnEmptyStore({
      kind: 'sweep',
      base: spinSpec(1, 10),
      axes: [{ path: 'pool.threads', values: [1, 2] }],
      repeats: 1,
      warmup: 0,
    });
    expect(preview).toMatchObject({ points: 2, runs: 2, estimatedMs: null, upperBoundMs: 2 * 60_000 });
    expect(preview.basis).toBe('No saved pool runs to estimate from yet.');
  });
});
