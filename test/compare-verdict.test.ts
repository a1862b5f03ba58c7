import { describe, expect, it } from 'vitest';
import { compareGroups } from '../src/main/engine/studies/compare.js';
import { comparisonVerdict, type VerdictContext } from '../src/main/engine/studies/verdict.js';
import type { RunRecord } from '../src/shared/run-record.js';
import type { Comparison, ComparisonRow } from '../src/shared/studies.js';
import { tinyRunRecord } from './fixtures/run-record.js';

type RowInput = Partial<ComparisonRow> & Pick<ComparisonRow, 'metric'>;

/** A row as compare makes it: per-repeat, significant when its interval lies beyond 3%. */
function row(input: RowInput): ComparisonRow {
  const relDiff = input.relDiff ?? 0;
  const relCi = input.relCi === undefined ? { low: relDiff - 0.05, high: relDiff + 0.05 } : input.relCi;
  const significant = input.significant ?? (relCi !== null && (relCi.low > 0.03 || relCi.high < -0.03));
  const better = input.better ?? (input.metric === 'throughput' ? 'higher' : 'lower');
  const up = relDiff > 0;
  return {
    unit: 'ms',
    better,
    baseline: 100,
    candidate: 100 * (1 + relDiff),
    diff: 100 * relDiff,
    relDiff,
    ci: relCi && { low: relCi.low * 100, high: relCi.high * 100 },
    relCi,
    basis: 'per-repeat',
    method: 'student-t-log',
    n: { baseline: 3, candidate: 3 },
    significant,
    verdict: significant ? (up === (better === 'higher') ? 'better' : 'worse') : 'no-difference',
    ...input,
  };
}

function comparison(rows: ComparisonRow[], extra: Partial<Comparison> = {}, kind = 'pool'): Omit<Comparison, 'verdict'> {
  const side = (label: string) => ({ label, kind, runIds: [label], spec: {}, environment: tinyRunRecord('x').environment });
  return {
    baseline: side('base'),
    candidate: side('cand'),
    options: { noiseFloorPct: 3, level: 0.95, resamples: 2000, seed: 1 },
    rows,
    specChanges: [{ path: 'pool.threads', baseline: 1, candidate: 2 }],
    warnings: [],
    indicative: false,
    ...extra,
  };
}

const repeats: VerdictContext = { repeats: 3 };

describe('the verdict a comparison opens with', () => {
  const cases: Array<{ name: string; rows: ComparisonRow[]; extra?: Partial<Comparison>; kind?: string; context?: VerdictContext; outcome: string; headline: string; advice?: RegExp }> = [
    {
      name: 'better on throughput, with its interval and the p99 latency beside it',
      rows: [
        row({ metric: 'throughput', unit: 'jobs/s', relDiff: 0.62, relCi: { low: 0.55, high: 0.7 } }),
        row({ metric: 'waitP99', relDiff: -0.1 }),
        row({ metric: 'latencyP99', relDiff: -0.4, aliases: ['latencyMs.p99'] }),
      ],
      outcome: 'better',
      headline: 'pool.threads 1 → 2: throughput +62 % [+55 % … +70 %], p99 latency -40 %; better',
    },
    {
      name: 'worse',
      rows: [row({ metric: 'throughput', relDiff: -0.2 }), row({ metric: 'latencyP99', relDiff: 0.3 })],
      outcome: 'worse',
      headline: 'pool.threads 1 → 2: throughput -20 % [-25 % … -15 %], p99 latency +30 %; worse',
    },
    {
      name: 'no clear difference, and more repeats would narrow it',
      rows: [row({ metric: 'throughput', relDiff: 0.01 }), row({ metric: 'latencyP99', relDiff: 0.02 })],
      context: { repeats: 2 },
      outcome: 'no-difference',
      headline: 'pool.threads 1 → 2: throughput +1.0 % [-4.0 % … +6.0 %], p99 latency +2.0 % (within noise); no clear difference',
      advice: /more repeats narrow the interval: 2 run\(s\) on a side now, 5 recommended/,
    },
    {
      name: 'a gain paid for in latency says so',
      rows: [row({ metric: 'throughput', relDiff: 0.3 }), row({ metric: 'latencyP99', relDiff: 0.5 })],
      outcome: 'better',
      headline: 'pool.threads 1 → 2: throughput +30 % [+25 % … +35 %], p99 latency +50 %; better, but p99 latency is worse',
    },
    {
      name: 'inconclusive on a busy machine',
      rows: [row({ metric: 'throughput', relDiff: 0.3, significant: false, verdict: 'inconclusive' })],
      extra: { inconclusive: 'inconclusive: the machine was busy (others used 0.7 cores during the candidate; threshold 0.25 cores)' },
      outcome: 'inconclusive',
      headline: 'pool.threads 1 → 2: throughput +30 % [+25 % … +35 %]; inconclusive (busy machine)',
      advice: /a quieter machine: the machine was busy/,
    },
    {
      name: 'on a busy machine the latency beside it was not judged, so it is not called within noise',
      rows: [
        row({ metric: 'throughput', relDiff: 0.3, significant: false, verdict: 'inconclusive' }),
        row({ metric: 'latencyP99', label: 'latency p99', better: 'lower', relDiff: -0.59, relCi: { low: -0.73, high: -0.1 }, significant: false, verdict: 'inconclusive' }),
      ],
      extra: { inconclusive: 'inconclusive: the machine was busy (others used 0.7 cores during the candidate; threshold 0.25 cores)' },
      outcome: 'inconclusive',
      headline: 'pool.threads 1 → 2: throughput +30 % [+25 % … +35 %], p99 latency -59 % (not judged: busy machine); inconclusive (busy machine)',
      advice: /a quieter machine: the machine was busy/,
    },
    {
      name: 'single runs on a busy machine need both a quieter machine and repeats',
      rows: [row({ metric: 'throughput', relDiff: 0.3, relCi: null, ci: null, basis: 'none', verdict: 'insufficient-data', significant: false })],
      extra: { indicative: true, inconclusive: 'inconclusive: the machine was busy (others used 0.7 cores during the candidate; threshold 0.25 cores)' },
      context: { repeats: 1 },
      outcome: 'inconclusive',
      headline: 'pool.threads 1 → 2: throughput +30 % (no interval); inconclusive (busy machine)',
      advice: /^a quieter machine: .*; more repeats: 2 or more runs a side/,
    },
    {
      name: 'inconclusive from single runs: throughput has no interval',
      rows: [row({ metric: 'throughput', relDiff: 0.3, relCi: null, ci: null, basis: 'none', verdict: 'insufficient-data', significant: false })],
      extra: { indicative: true },
      context: { repeats: 1 },
      outcome: 'inconclusive',
      headline: 'pool.threads 1 → 2: throughput +30 % (no interval); inconclusive (indicative single runs)',
      advice: /more repeats: 2 or more runs a side \(5 recommended\)/,
    },
    {
      name: 'single runs with a per-item interval look better, still inconclusive',
      rows: [row({ metric: 'latencyP99', relDiff: -0.3, basis: 'per-item', method: 'block-bootstrap' })],
      extra: { indicative: true },
      context: { repeats: 1, objective: 'latencyP99' },
      outcome: 'inconclusive',
      headline: 'pool.threads 1 → 2: p99 latency -30 % [-35 % … -25 %]; inconclusive (indicative single runs; looks better)',
      advice: /more repeats/,
    },
    {
      name: 'memory runs are judged on the leak slope',
      rows: [
        row({ metric: 'peakHeapUsed', relDiff: 0.01, unit: 'MB' }),
        row({ metric: 'leak.slopeMbPerMin', relDiff: -0.5, unit: 'MB/min' }),
      ],
      kind: 'memory',
      outcome: 'better',
      headline: 'pool.threads 1 → 2: leak slope -50 % [-55 % … -45 %], peak heap +1.0 % (within noise); better',
    },
    {
      name: 'an objective named by its former name, with short runs flagged',
      rows: [row({ metric: 'throughput', relDiff: 0.2 }), row({ metric: 'waitP99', relDiff: -0.3, aliases: ['waitMs.p99'] })],
      context: { repeats: 3, objective: 'waitMs.p99', shortRuns: { runs: 2, seconds: 0.5 } },
      outcome: 'better',
      headline: 'pool.threads 1 → 2: p99 wait -30 % [-35 % … -25 %], throughput +20 %; better',
      advice: /longer runs: 2 run\(s\) measured too short a window for a stable figure \(0.5 s measured\)/,
    },
  ];

  it.each(cases)('$name', ({ rows, extra, kind, context, outcome, headline, advice }) => {
    const verdict = comparisonVerdict(comparison(rows, extra, kind), context ?? repeats);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.headline).toBe(headline);
    if (advice) expect(verdict.advice.join('; ')).toMatch(advice);
    else expect(verdict.advice).toEqual([]);
  });

  it('names the sides when more than two settings changed', () => {
    const many = comparison([row({ metric: 'throughput', relDiff: 0.2 })], {
      specChanges: ['a', 'b', 'c'].map((path) => ({ path, baseline: 1, candidate: 2 })),
    });
    expect(comparisonVerdict(many, repeats).headline).toMatch(/^cand versus base: throughput \+20 %/);
  });

  it('refuses an objective no row has, naming the metrics', () => {
    expect(() => comparisonVerdict(comparison([row({ metric: 'throughput' })]), { repeats: 3, objective: 'speed' })).toThrow(
      'no metric "speed" to judge; metrics: throughput',
    );
  });
});

describe('runs of different kinds', () => {
  const poolRun = (id: string): RunRecord => tinyRunRecord(id);
  const loadRun = (id: string): RunRecord => ({
    ...tinyRunRecord(id),
    kind: 'load',
    summary: { throughput: { value: 10, unit: 'req/s', better: 'higher' } },
  });

  it('are refused with a catalogued error rather than compared as if alike', () => {
    expect(() => compareGroups({ label: 'pool', runs: [poolRun('a')] }, { label: 'load', runs: [loadRun('b')] })).toThrow(
      expect.objectContaining({
        code: 'TB_COMPARE_KINDS',
        message: expect.stringContaining('Runs of different kinds cannot be compared: the baseline is a pool run and the candidate a load run'),
      }),
    );
  });

  it('are refused within one side too', () => {
    expect(() => compareGroups({ label: 'mixed', runs: [poolRun('a'), loadRun('b')] }, { label: 'pool', runs: [poolRun('c')] })).toThrow(
      /"mixed" mixes pool and load runs/,
    );
  });
});

describe('each metric once, former names still accepted', () => {
  const withItems = (id: string, shift: number): RunRecord => ({
    ...tinyRunRecord(id),
    summary: {
      throughput: { value: 100, unit: 'jobs/s', better: 'higher' },
      waitP50: { value: 10 + shift, unit: 'ms', label: 'Queue wait p50', better: 'lower' },
    },
    distributions: { waitMs: { unit: 'ms', label: 'Queue wait', observed: 400, values: Array.from({ length: 400 }, (_, i) => 8 + shift + (i % 5)) } },
  });

  it('merges a summary percentile with the same percentile of the items, names item-only statistics alike, and keeps the old names as aliases', async () => {
    const comparison = compareGroups({ label: 'a', runs: [withItems('a', 0)] }, { label: 'b', runs: [withItems('b', 5)] });
    const names = comparison.rows.map((row) => row.metric);
    expect(names).toEqual(['throughput', 'waitP50', 'waitMean', 'waitP90', 'waitP99']);
    expect(comparison.rows.find((row) => row.metric === 'waitP50')).toMatchObject({ aliases: ['waitMs.p50'], basis: 'per-item', label: 'Queue wait p50' });
    const { unknownMetrics, renamedMetrics } = await import('../src/main/engine/studies/compare.js');
    expect(unknownMetrics(comparison, ['waitMs.p50', 'waitP90', 'nonsense'])).toEqual(['nonsense']);
    expect(renamedMetrics(comparison, ['waitMs.p50', 'throughput'])).toEqual([{ from: 'waitMs.p50', to: 'waitP50' }]);
  });
});
