import { describe, expect, it } from 'vitest';
import type { FindingContext, FindingInput, FindingRule } from '../src/main/engine/findings/index.js';
import { churn, gcPressure, leakVerdict } from '../src/main/engine/findings/memory.js';
import { FindingSchema, type Finding } from '../src/shared/findings.js';
import type { LeakVerdict } from '../src/shared/runtime.js';
import { engineFactory } from './fixtures/engine.js';
import { event, every, findingInput, m } from './fixtures/finding-inputs.js';

const verdict = (status: LeakVerdict['status'], parts: Partial<LeakVerdict> = {}): LeakVerdict => ({
  status,
  slopeMbPerMin: 12,
  r2: 0.98,
  t0: 3_000,
  t1: 11_000,
  interceptMb: 20,
  points: 9,
  windowSec: 60,
  reason: 'test',
  ...parts,
});
const memory = (parts: Partial<FindingInput> & { scenario?: string; spec?: Record<string, unknown> } = {}) => {
  const { scenario = 'leak', spec = {}, ...rest } = parts;
  return findingInput('memory', {
    spec: { kind: 'memory', scenario, durationSec: 12, leakRule: { warmupSec: 2, sustainSec: 6 }, ...spec },
    series: { heapUsed: every(500, Array.from({ length: 24 }, () => 30), 'MB') },
    ...rest,
  });
};
const leakEvent = (v: LeakVerdict) => event(v.t1, 'leak', { ...v }, `Leak verdict: ${v.status}`);
const gcTotals = (minor: [number, number], major: [number, number]) => ({
  'gc.minor.count': m(minor[0]),
  'gc.minor.pauseMs': m(minor[1], 'ms'),
  'gc.major.count': m(major[0]),
  'gc.major.pauseMs': m(major[1], 'ms'),
  'gc.incremental.pauseMs': m(0, 'ms'),
  'gc.weakcb.pauseMs': m(0, 'ms'),
});

interface Case {
  name: string;
  rule: FindingRule;
  input: FindingInput;
  context?: FindingContext;
  expected: Partial<Finding> | undefined;
  /** The finding must offer nothing to try next. */
  noTryNext?: boolean;
}

const cases: Case[] = [
  {
    name: 'a possible leak is a problem over the fitted stretch, with a rerun that takes heap snapshots',
    rule: leakVerdict,
    input: memory({ events: [leakEvent(verdict('possible-leak', { recentSlopeMbPerMin: 11, recentSec: 3 }))] }),
    expected: {
      id: 'memory.leak',
      severity: 'problem',
      title: 'Possible leak: the heap left after each major GC grew 12 MB/min (R² 0.98) and was still growing at the end (11 MB/min over the last 3 s).',
      range: { fromMs: 3_000, toMs: 11_000 },
      tryNext: { action: 'rerun', label: 'Rerun with heap snapshots at start and end, to see what grows', patch: { snapshots: true } },
    },
  },
  {
    name: 'a finished run\'s figures are its summary\'s, not those of the event that first flagged it; its stretch ends at the last live-set point',
    rule: leakVerdict,
    input: memory({
      events: [leakEvent(verdict('possible-leak', { slopeMbPerMin: 250, points: 4, t1: 5_000 }))],
      summary: {
        'leak.slopeMbPerMin': m(272, 'MB/min'),
        'leak.r2': m(0.999, 'ratio'),
        'leak.points': m(19),
        'leak.flagged': { ...m(1), label: 'leak verdict: possible-leak (live set grows 272.02 MB/min (R² 1.00) over 6 s, 267.71 MB/min over the last 1 s)' },
      },
      series: { 'leak.floor': every(400, [10, 12, 14, 16, 18, 20, 22, 24, 26], 'MB') },
    }),
    expected: {
      id: 'memory.leak',
      title: 'Possible leak: the heap left after each major GC grew 272 MB/min (R² 1.00) and was still growing at the end (268 MB/min over the last 1 s).',
      evidence: expect.arrayContaining([{ label: 'major-GC points', value: 19, unit: 'count' }]) as unknown as Finding['evidence'],
      range: { fromMs: 3_000, toMs: 3_600 },
    },
  },
  {
    name: 'a leak already snapshotted needs no rerun to see what grows',
    rule: leakVerdict,
    input: memory({ spec: { snapshots: true }, events: [leakEvent(verdict('possible-leak'))] }),
    expected: { id: 'memory.leak' },
    noTryNext: true,
  },
  {
    name: 'grew then plateaued: a note',
    rule: leakVerdict,
    input: memory({
      scenario: 'churn',
      events: [leakEvent(verdict('no-leak', { slopeMbPerMin: 8, recentSlopeMbPerMin: 0.1, recentSec: 9, reason: 'plateaued: the live set grew …' }))],
    }),
    expected: { id: 'memory.plateau', severity: 'info', title: expect.stringMatching(/^The heap grew, then plateaued: 8 MB\/min over the window but 0\.1 MB\/min over the last 9 s/) as unknown as string },
  },
  {
    name: 'no leak says nothing',
    rule: leakVerdict,
    input: memory({ scenario: 'churn', events: [leakEvent(verdict('no-leak', { slopeMbPerMin: 0.1, reason: 'live set growth 0.10 MB/min is under 1 MB/min' }))] }),
    expected: undefined,
  },
  {
    name: 'too short to decide: rerun for longer',
    rule: leakVerdict,
    input: memory({ events: [leakEvent(verdict('undecided', { reason: 'only 1 major-GC point after the 2 s warm-up, 3 needed' }))] }),
    expected: {
      id: 'memory.undecided',
      severity: 'warning',
      title: 'Too short to tell whether it leaks: only 1 major-GC point after the 2 s warm-up, 3 needed.',
      tryNext: { action: 'rerun', label: 'Rerun for 50 s', patch: { durationSec: 50 } },
    },
  },
  {
    name: 'undecided in a scenario about the event loop says nothing',
    rule: leakVerdict,
    input: memory({ scenario: 'cpu-main', events: [leakEvent(verdict('undecided'))] }),
    expected: undefined,
  },
  {
    name: 'live, a leak flagged so far shows; no rerun yet',
    rule: leakVerdict,
    input: memory({ status: 'running', events: [leakEvent(verdict('possible-leak'))] }),
    context: { live: true },
    expected: { id: 'memory.leak' },
    noTryNext: true,
  },
  {
    name: 'GC pressure mostly in major GCs: sweep the heap limit',
    rule: gcPressure,
    input: memory({ spec: { maxOldSpaceMb: 64 }, summary: gcTotals([3, 31], [52, 1_300]) }),
    expected: {
      id: 'memory.gc-pressure',
      severity: 'warning',
      title: expect.stringMatching(/^GC pressure: garbage collection paused the process 11\.1% of the time \(1\.33 s of 12 s\), most of it in major GCs/) as unknown as string,
      tryNext: { action: 'sweep', label: 'Sweep the heap limit over 64, 128, 256 MB', axis: { path: 'maxOldSpaceMb', values: [64, 128, 256] } },
    },
  },
  {
    name: 'GC pressure of a fifth of the time is a problem; in scavenges, no heap limit to sweep',
    rule: gcPressure,
    input: memory({ spec: { maxOldSpaceMb: 64 }, summary: gcTotals([400, 2_600], [2, 20]) }),
    expected: { id: 'memory.gc-pressure', severity: 'problem', title: expect.stringMatching(/most of it in scavenges/) as unknown as string },
    noTryNext: true,
  },
  {
    name: 'live, the share comes from the pause series',
    rule: gcPressure,
    input: memory({ series: { 'gc.pauseMs': every(1_000, [100, 120, 90, 110], 'ms') } }),
    context: { live: true },
    expected: { id: 'memory.gc-pressure' },
  },
  { name: 'a little GC says nothing', rule: gcPressure, input: memory({ summary: gcTotals([3, 3], [1, 8]) }), expected: undefined },
  {
    name: 'churn: many scavenges with a flat live set',
    rule: churn,
    input: memory({ scenario: 'churn', summary: gcTotals([120, 300], [4, 40]), events: [leakEvent(verdict('no-leak', { slopeMbPerMin: 0 }))] }),
    expected: { id: 'memory.churn', severity: 'info', title: expect.stringMatching(/^Churn: 10 scavenges a second \(25 ms of pause a second\) while the live set stayed flat/) as unknown as string },
  },
  {
    name: 'a leak is not churn',
    rule: churn,
    input: memory({ summary: gcTotals([120, 300], [4, 40]), events: [leakEvent(verdict('possible-leak'))] }),
    expected: undefined,
  },
  { name: 'a few scavenges are not churn', rule: churn, input: memory({ scenario: 'churn', summary: gcTotals([3, 3], [1, 8]) }), expected: undefined },
];

describe('memory findings', () => {
  it.each(cases)('$name', ({ rule, input, context, expected, noTryNext }) => {
    const found = rule(input, context ?? { live: false });
    const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
    if (expected === undefined) {
      expect(list).toEqual([]);
      return;
    }
    expect(list).toHaveLength(1);
    const finding = FindingSchema.parse(list[0]);
    expect(finding).toMatchObject(expected);
    if (noTryNext) expect(finding.tryNext).toBeUndefined();
  });

  const engines = engineFactory();
  // On a busy machine the sandbox starts late and major GCs begin seconds in: 2 s of sustained growth leaves margin in 8 s.
  const quickRule = { windowSec: 30, minGrowthMbPerMin: 1, minR2: 0.5, sustainSec: 2, minPoints: 3, warmupSec: 1 };

  it('a real leak run finds the leak; a real churn run does not', async () => {
    const engine = await engines.open(await engines.tempDir());
    const run = async (scenario: string, extra: Record<string, unknown>) => {
      const { runId } = await engine.call('runs.start', {
        spec: { kind: 'memory', scenario, durationSec: 8, probeIntervalMs: 250, maxOldSpaceMb: 48, leakRule: quickRule, ...extra },
      });
      const record = (await engine.runs.wait(runId))!;
      expect(record.status, record.error?.message).toBe('completed');
      return record;
    };
    // Close to its heap limit the live set is collected often: many points for the detector, without running out.
    const leak = await run('leak', { rate: 3_000, objectSizeBytes: 1_024 });
    const found = leak.findings?.find((finding) => finding.id === 'memory.leak');
    expect(found, JSON.stringify(leak.findings)).toBeDefined();
    expect(found!.title).toMatch(/^Possible leak: the heap left after each major GC grew [\d.]+ MB\/min/);
    expect(found?.range!.toMs).toBeGreaterThan(found!.range!.fromMs);
    const churned = await run('churn', { rate: 20_000, objectSizeBytes: 1_024, retainMs: 1_000, maxOldSpaceMb: 128 });
    expect(churned.findings?.map((finding) => finding.id)).not.toContain('memory.leak');
  }, 60_000);
});
