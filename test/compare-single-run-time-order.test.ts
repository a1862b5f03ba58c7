import { describe, expect, it } from 'vitest';
import { compareGroups } from '../src/main/engine/studies/compare.js';
import { OrderedReservoir } from '../src/shared/ordered-reservoir.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { SeededRandom, xorshift32 } from '../src/shared/random.js';
import { tinyRunRecord } from './fixtures/run-record.js';

/**
 * One run's per-item times: lognormal around a level that drifts slowly
 * (contention comes and goes), so neighbours are alike, as in a real run.
 */
function drifting(random: SeededRandom, items: number): number[] {
  let level = 0;
  const values: number[] = [];
  for (let i = 0; i < items; i++) {
    level = 0.9995 * level + 0.25 * Math.sqrt(1 - 0.9995 ** 2) * random.normal();
    values.push(10 * Math.exp(level + 0.3 * random.normal()));
  }
  return values;
}

/** The reservoir as it was: random slots overwritten once full, so one moment's items scatter over the sample. */
function scattered(values: number[], size: number): number[] {
  const random = xorshift32(9);
  const kept: number[] = [];
  values.forEach((value, i) => {
    if (kept.length < size) kept.push(value);
    else {
      const slot = Math.floor(random() * (i + 1));
      if (slot < size) kept[slot] = value;
    }
  });
  return kept;
}

function inOrder(values: number[], size: number): number[] {
  const reservoir = new OrderedReservoir(size, xorshift32(9));
  for (const value of values) reservoir.add(value);
  return reservoir.ordered();
}

const run = (id: string, values: number[]): RunRecord => ({
  ...tinyRunRecord(id),
  summary: {},
  distributions: { runMs: { unit: 'ms', observed: 100_000, values } },
});

describe('single-run compare of identical runs (A/A) with samples in time order', () => {
  it('calls few pairs different when the sample keeps time order, many when it scatters it', () => {
    const random = new SeededRandom(5);
    const pairs = 30;
    const significant = { inOrder: 0, scattered: 0 };
    for (let pair = 0; pair < pairs; pair++) {
      const [a, b] = [drifting(random, 100_000), drifting(random, 100_000)];
      for (const [name, keep] of [['inOrder', inOrder], ['scattered', scattered]] as const) {
        const comparison = compareGroups({ label: 'A', runs: [run('a', keep(a!, 20_000))] }, { label: 'B', runs: [run('b', keep(b!, 20_000))] });
        expect(comparison.indicative).toBe(true);
        if (comparison.rows.some((row) => row.significant)) significant[name]++;
      }
    }
    // Measured: 3 of 30 in order (four statistics per pair), 16 of 30 scattered.
    expect(significant.inOrder).toBeLessThanOrEqual(4);
    expect(significant.scattered).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
