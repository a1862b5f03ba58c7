import { describe, expect, it } from 'vitest';
import { compareGroups, gateComparison, type CompareGroup } from '../src/main/engine/studies/compare.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { SeededRandom } from '../src/shared/random.js';
import { tinyRunRecord } from './fixtures/run-record.js';

/**
 * A run as repeats really differ: a run-level factor (this run's machine state)
 * moves its throughput and every one of its 2,000 job times together.
 */
function run(id: string, random: SeededRandom, slowdown = 1): RunRecord {
  const factor = slowdown * Math.exp(0.1 * random.normal());
  const values = Array.from({ length: 2_000 }, () => 10 * factor * Math.exp(0.3 * random.normal()));
  return {
    ...tinyRunRecord(id),
    summary: {
      throughput: { value: 400 / factor, unit: 'jobs/s', better: 'higher' },
      failed: { value: 0, unit: 'jobs', better: 'lower' },
    },
    distributions: { runMs: { unit: 'ms', label: 'Run time', observed: values.length, values } },
  };
}

const group = (label: string, random: SeededRandom, repeats: number, slowdown = 1): CompareGroup => ({
  label,
  runs: Array.from({ length: repeats }, (_, i) => run(`${label}-${i}`, random, slowdown)),
});

describe('compare with repeats judges every metric on per-run values', () => {
  it('computes each row from one value per run with a t interval, never from pooled items', () => {
    const random = new SeededRandom(1);
    const comparison = compareGroups(group('main', random, 5), group('branch', random, 5));
    expect(comparison.indicative).toBe(false);
    expect(comparison.rows.map((row) => [row.metric, row.basis, row.method, row.n.baseline])).toEqual([
      ['throughput', 'per-repeat', 'student-t-log', 5],
      ['failed', 'per-repeat', 'student-t', 5],
      ['runMs.mean', 'per-repeat', 'student-t-log', 5],
      ['runMs.p50', 'per-repeat', 'student-t-log', 5],
      ['runMs.p90', 'per-repeat', 'student-t-log', 5],
      ['runMs.p99', 'per-repeat', 'student-t-log', 5],
    ]);
    expect(comparison.rows.find((row) => row.metric === 'failed')).toMatchObject({ relCi: null, significant: false });
  });

  it('A/A: 30 pairs of 5 repeats a side give no false alarm beyond the interval rate, and the gate fails none', () => {
    const random = new SeededRandom(2);
    let significantRows = 0;
    let rowsWithInterval = 0;
    let gateFailures = 0;
    for (let pair = 0; pair < 30; pair++) {
      const [a, b] = [group('main', random, 5), group('branch', random, 5)];
      const comparison = compareGroups(a, b, { seed: pair });
      significantRows += comparison.rows.filter((row) => row.significant).length;
      rowsWithInterval += comparison.rows.filter((row) => row.relCi).length;
      if (gateComparison(a, b, comparison, { failPct: 5 }).regressions.length) gateFailures++;
    }
    // Pooling the 10,000 items of each side (block bootstrap of the p50) called 9 of these 30 pairs different.
    expect(significantRows / rowsWithInterval).toBeLessThanOrEqual(0.05);
    expect(gateFailures).toBe(0);
  });

  it('A/B: a 50 % slowdown is found with 5 repeats a side, and fails the gate', () => {
    const random = new SeededRandom(3);
    const [a, b] = [group('main', random, 5), group('branch', random, 5, 1.5)];
    const comparison = compareGroups(a, b);
    expect(comparison.rows.find((row) => row.metric === 'runMs.p50')).toMatchObject({ verdict: 'worse', significant: true });
    const gate = gateComparison(a, b, comparison, { failPct: 10 });
    expect(gate.gated).toBe(5);
    expect(gate.level).toBeCloseTo(0.99, 10);
    expect(gate.regressions.map((r) => r.row.metric)).toContain('runMs.p50');
  });

  it('takes the spread of the repeated side for a single run on the other, and says so', () => {
    const random = new SeededRandom(4);
    const comparison = compareGroups(group('main', random, 1), group('branch', random, 4));
    expect(comparison.indicative).toBe(false);
    expect(comparison.rows.find((row) => row.metric === 'throughput')).toMatchObject({ basis: 'per-repeat', method: 'student-t-log', n: { baseline: 1, candidate: 4 } });
    expect(comparison.warnings).toContain('main is a single run: its run-to-run spread is taken to be that of the 4 runs of branch.');
  });
});
