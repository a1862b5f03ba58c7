import { describe, expect, test } from 'vitest';
import { LeakDetector, leastSquares } from '../src/main/engine/runtime/leak-detector.js';

const MB = 1024 * 1024;
const rule = { windowSec: 60, minGrowthMbPerMin: 1, minR2: 0.8, sustainSec: 10, minPoints: 4, warmupSec: 0 };

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
  });

  test('a flat floor with noise is not a leak', () => {
    const detector = new LeakDetector(rule);
    const noise = [0.3, -0.2, 0.1, -0.4, 0.2, 0, -0.1, 0.3, -0.3, 0.1];
    noise.forEach((n, i) => detector.add(i * 3_000, (40 + n) * MB));
    expect(detector.verdict().status).toBe('no-leak');
  });

  test('a sawtooth that rises fast but is not explained by a line is not a leak', () => {
    const detector = new LeakDetector(rule);
    [40, 60, 41, 62, 40, 61, 42, 60].forEach((mb, i) => detector.add(i * 2_000, mb * MB));
    const verdict = detector.verdict();
    expect(verdict.status).toBe('no-leak');
    expect(verdict.reason).toMatch(/not steady/);
  });

  test('too few points or too short a span is still collecting', () => {
    const detector = new LeakDetector(rule);
    detector.add(0, 10 * MB);
    detector.add(1_000, 20 * MB);
    detector.add(2_000, 30 * MB);
    detector.add(3_000, 40 * MB);
    const verdict = detector.verdict();
    expect(verdict.status).toBe('collecting');
    expect(verdict.reason).toContain('of 10 s');
  });

  test('points older than the window and inside the warm-up are left out', () => {
    const detector = new LeakDetector({ ...rule, windowSec: 10, warmupSec: 5 });
    detector.add(1_000, 999 * MB);
    for (let s = 6; s <= 30; s += 2) detector.add(s * 1_000, 40 * MB);
    const verdict = detector.verdict();
    expect(verdict.points).toBe(6);
    expect(verdict.t0).toBe(20_000);
  });

  test('thresholds outside their range are refused with the field named', () => {
    expect(() => new LeakDetector({ minR2: 2 })).toThrow(/Leak rule: minR2/);
    expect(() => new LeakDetector({ windowSec: 1 })).toThrow(/windowSec/);
  });
});
