import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { STABLE_WINDOW_MIN_ITEMS, STABLE_WINDOW_MIN_SEC } from '../src/shared/measured-window.js';
import { DbSpecSchema, exampleDbSpec, exampleLoadSpec, exampleMemorySpec, LoadSpecSchema, MemorySpecSchema, PoolSpecSchema, examplePoolSpec } from '../src/shared/specs/index.js';
import { poolWarmup, type PoolSpec } from '../src/shared/specs/pool.js';
import { exampleSweepSpec } from '../src/shared/specs/sweep.js';
import { runTask } from '../src/workers/tasks/index.js';

/** A pool spec's measured window on this machine, estimated from its task's time here (median of a few runs). */
function estimatedPoolWindow(spec: PoolSpec): { seconds: number; jobs: number } {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    runTask(spec.task.name, spec.task.params);
    times.push(performance.now() - start);
  }
  const jobMs = times.sort((a, b) => a - b)[4]!;
  const warmup = poolWarmup(spec);
  const jobs = spec.jobs - Math.min(warmup.jobs ?? 0, spec.jobs);
  const parallel = Math.min(spec.pool.threads, os.availableParallelism());
  return { seconds: (jobs * jobMs) / parallel / 1000, jobs };
}

describe('example specs (tunebench spec --example, the pages\' default forms)', () => {
  it('last long enough to give a stable figure', () => {
    // A run planned by the clock.
    expect(LoadSpecSchema.parse(exampleLoadSpec).load.durationSec).toBeGreaterThanOrEqual(5);
    expect(DbSpecSchema.parse(exampleDbSpec).durationSec).toBeGreaterThanOrEqual(5);
    expect(MemorySpecSchema.parse(exampleMemorySpec).durationSec).toBeGreaterThanOrEqual(5);

    // A run planned by its work: several seconds of it on this machine, and enough jobs.
    const pool = estimatedPoolWindow(PoolSpecSchema.parse(examplePoolSpec));
    expect(pool.jobs).toBeGreaterThanOrEqual(STABLE_WINDOW_MIN_ITEMS);
    expect(pool.seconds).toBeGreaterThanOrEqual(2 * STABLE_WINDOW_MIN_SEC);
    // Every point of the example sweep, even the one with the most threads.
    const base = PoolSpecSchema.parse(exampleSweepSpec.base);
    const threads = Math.max(...(exampleSweepSpec.axes?.[0]?.values as number[]));
    const widest = estimatedPoolWindow({ ...base, pool: { ...base.pool, threads } });
    expect(widest.jobs).toBeGreaterThanOrEqual(STABLE_WINDOW_MIN_ITEMS);
    expect(widest.seconds).toBeGreaterThanOrEqual(STABLE_WINDOW_MIN_SEC);
  });
});
