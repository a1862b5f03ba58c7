import { describe, expect, test } from 'vitest';
import { judgeLeak, LeakDetector, leastSquares, type FloorPoint } from '../src/main/engine/kinds/memory/leak-detector.js';
import type { LeakRule } from '../src/shared/specs/memory.js';

const MB = 1024 * 1024;
const rule: LeakRule = { windowSec: 60, minGrowthMbPerMin: 1, minR2: 0.8, sustainSec: 10, minPoints: 4, warmupSec: 0 };

/** A post-GC floor: one point every stepSec seconds from 0 to untilSec, heap after GC in MB. */
function series(untilSec: number, stepSec: number, mb: (sec: number, index: number) => number): FloorPoint[] {
  const points: FloorPoint[] = [];
  for (let sec = 0, index = 0; sec <= untilSec + 1e-9; sec += stepSec, index++) points.push({ t: sec * 1_000, mb: mb(sec, index) });
  return points;
}
const noise = [0.3, -0.2, 0.1, -0.4, 0.2, 0, -0.1, 0.3, -0.3, 0.1, 0.2, -0.2, 0.4, -0.1, 0, -0.3];

describe('leak verdicts from synthetic post-GC floors', () => {
  test.each<[string, FloorPoint[], LeakRule['minR2'] | undefined, string, RegExp]>([
    ['a steady leak', series(20, 2, (s) => 50 + s * 0.5), undefined, 'possible-leak', /live set grows 30\.00 MB\/min/],
    ['a slow leak under noise', series(30, 2, (s, i) => 40 + s * 0.2 + noise[i]!), undefined, 'possible-leak', /grows 1\d\.\d\d MB\/min/],
    ['churn: floors scatter around one level', series(30, 2, (_, i) => 40 + noise[i]!), undefined, 'no-leak', /under 1 MB\/min/],
    ['a sawtooth that rises fast but no line explains', series(14, 2, (_, i) => [40, 60, 41, 62, 40, 61, 42, 60][i]!), undefined, 'no-leak', /not steady/],
    ['a cache that fills, then stays flat', series(30, 2, (s) => Math.min(20 + 3 * s, 74)), undefined, 'no-leak', /^plateaued: .* over the last 10 s/],
    ['a fill and plateau that a looser R² would have flagged', series(24, 1.5, (s, i) => Math.min(10 + 4 * s, 70) + noise[i % noise.length]! * 0.1), 0.5, 'no-leak', /^plateaued/],
    ['a leak whose latest third still grows', series(30, 3, (s) => 40 + 0.3 * s + (s > 20 ? 0.2 * (s - 20) : 0)), undefined, 'possible-leak', /over the last 9 s/],
  ])('%s', (_, points, minR2, status, reason) => {
    const verdict = judgeLeak(points, { ...rule, ...(minR2 === undefined ? {} : { minR2 }) });
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
  });

  test('a plateau is still growth overall: the slope and R² alone would have flagged it', () => {
    const verdict = judgeLeak(series(30, 2, (s) => Math.min(20 + 3 * s, 74)), rule);
    expect(verdict.slopeMbPerMin).toBeGreaterThan(rule.minGrowthMbPerMin);
    expect(verdict.r2).toBeGreaterThanOrEqual(rule.minR2);
    expect(verdict.recentSlopeMbPerMin).toBeCloseTo(0);
  });

  test.each<[string, FloorPoint[], RegExp]>([
    ['too few points', series(12, 6, (s) => 40 + s), /^only 3 major-GC points after the 0 s warm-up, 4 needed; run longer/],
    ['too short a span', series(6, 2, (s) => 40 + s), /^the 4 major-GC points span 6\.0 s, 10 s needed; run longer/],
    ['no point at all', [], /^only 0 major-GC points/],
  ])('%s: collecting while the run goes on, undecided in words when it ends', (_, points, reason) => {
    expect(judgeLeak(points, rule).status).toBe('collecting');
    const final = judgeLeak(points, rule, true);
    expect(final.status).toBe('undecided');
    expect(final.reason).toMatch(reason);
    expect(final.reason).toContain('maxOldSpaceMb');
  });
});

describe('leak detector (least squares over the live-set floor)', () => {
  test('fits a line exactly', () => {
    const fit = leastSquares([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.intercept).toBeCloseTo(1);
    expect(fit.r2).toBeCloseTo(1);
  });

  test('a steadily rising floor is a possible leak, with growth in MB/min', () => {
    const detector = new LeakDetector(rule);
    for (let s = 0; s <= 20; s += 2) detector.add(s * 1_000, (50 + s * 0.5) * MB);
    const verdict = detector.verdict();
    expect(verdict.status).toBe('possible-leak');
    expect(verdict.slopeMbPerMin).toBeCloseTo(30);
    expect(verdict.r2).toBeCloseTo(1);
    expect(detector.finalVerdict()).toEqual(verdict);
  });

  test('too few points or too short a span is still collecting, and undecided at the end', () => {
    const detector = new LeakDetector(rule);
    for (let s = 0; s < 4; s++) detector.add(s * 1_000, (10 + 10 * s) * MB);
    expect(detector.verdict()).toMatchObject({ status: 'collecting', reason: expect.stringContaining('of 10 s') });
    expect(detector.finalVerdict()).toMatchObject({ status: 'undecided', reason: expect.stringContaining('10 s needed') });
  });

  test('points older than the window and inside the warm-up are left out', () => {
    const detector = new LeakDetector({ ...rule, windowSec: 10, warmupSec: 5 });
    detector.add(1_000, 999 * MB);
    for (let s = 6; s <= 30; s += 2) detector.add(s * 1_000, 40 * MB);
    const verdict = detector.verdict();
    expect(verdict.points).toBe(6);
    expect(verdict.t0).toBe(20_000);
  });

  test('thresholds outside their range, or a window shorter than sustainSec, are refused with the field named', () => {
    expect(() => new LeakDetector({ minR2: 2 })).toThrow(/Leak rule: minR2/);
    expect(() => new LeakDetector({ windowSec: 1 })).toThrow(/windowSec/);
    expect(() => new LeakDetector({ windowSec: 10, sustainSec: 20 })).toThrow(/windowSec 10 is shorter than sustainSec 20/);
  });
});
