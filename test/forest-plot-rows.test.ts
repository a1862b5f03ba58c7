import { describe, expect, it } from 'vitest';
import { forestLabel, forestRows } from '../src/shared/forest-plot.js';
import type { Comparison, ComparisonRow } from '../src/shared/studies.js';

const row = (metric: string, parts: Partial<ComparisonRow> = {}): ComparisonRow => ({
  metric,
  unit: 'ms',
  better: 'lower',
  baseline: 10,
  candidate: 12,
  diff: 2,
  relDiff: 0.2,
  ci: { low: 1, high: 3 },
  relCi: { low: 0.1, high: 0.3 },
  basis: 'per-repeat',
  n: { baseline: 3, candidate: 3 },
  significant: true,
  verdict: 'worse',
  ...parts,
});
const noInterval = { ci: null, relCi: null, basis: 'none' as const, significant: false, verdict: 'insufficient-data' as const };
const verdict = (objective: string, secondary?: string) =>
  ({ objective, ...(secondary ? { secondary } : {}), outcome: 'inconclusive', headline: '', advice: [] }) as unknown as Comparison['verdict'];

describe('the forest plot plots what the verdict names first, under the comparison table\'s names', () => {
  it.each([
    { name: 'a label that fits is the table\'s label', row: { metric: 'latencyP99', label: 'End-to-end latency p99' }, expected: 'End-to-end latency p99' },
    {
      name: 'a long label drops its explanation in brackets',
      row: { metric: 'throughput', label: 'Throughput (answers received per second in the measured window)' },
      expected: 'Throughput',
    },
    { name: 'a short label keeps its brackets', row: { metric: 'latencyP99', label: 'End-to-end latency (wait + run)' }, expected: 'End-to-end latency (wait + run)' },
    { name: 'without a label, the key', row: { metric: 'waitMs.p50' }, expected: 'waitMs.p50' },
  ])('$name', ({ row: given, expected }) => {
    expect(forestLabel(given)).toBe(expected);
  });

  it.each([
    {
      name: 'single runs: the objective without an interval is a point alone, first; the secondary with one next; the rest after',
      rows: [
        row('waitP50', { label: 'Queue wait p50' }),
        row('latencyP99', { label: 'End-to-end latency p99' }),
        row('throughput', { label: 'Throughput', unit: 'jobs/s', better: 'higher', relDiff: -0.4, ...noInterval }),
      ],
      verdict: verdict('throughput', 'latencyP99'),
      expected: [
        { metric: 'throughput', name: 'Throughput', rel: -0.4, low: null, high: null, worse: false },
        { metric: 'latencyP99', name: 'End-to-end latency p99', rel: 0.2, low: 0.1, high: 0.3, worse: true },
        { metric: 'waitP50', name: 'Queue wait p50', rel: 0.2, low: 0.1, high: 0.3, worse: true },
      ],
    },
    {
      name: 'a metric without an interval the verdict does not name stays out, and so does one without a relative change',
      rows: [row('waitP50', noInterval), row('throughput', { better: 'higher', relDiff: null, ...noInterval }), row('latencyP99')],
      verdict: verdict('throughput'),
      expected: [{ metric: 'latencyP99', name: 'latencyP99', rel: 0.2, low: 0.1, high: 0.3, worse: true }],
    },
    {
      name: 'counts (better: neither) stay out unless the verdict names them',
      rows: [row('completed', { better: 'neither', unit: 'jobs' }), row('latencyP99')],
      verdict: undefined,
      expected: [{ metric: 'latencyP99', name: 'latencyP99', rel: 0.2, low: 0.1, high: 0.3, worse: true }],
    },
  ])('$name', ({ rows, verdict: given, expected }) => {
    expect(forestRows({ rows, verdict: given })).toEqual(expected);
  });
});
