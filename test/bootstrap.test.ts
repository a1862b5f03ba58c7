import { describe, expect, it } from 'vitest';
import {
  bootstrapDifference,
  bootstrapInterval,
  computeStatistic,
  expandedLevel,
  MEAN,
  quantile,
} from '../src/main/engine/studies/bootstrap.js';

const options = { resamples: 4_000, seed: 7, level: 0.95 };

describe('bootstrap intervals on fixed samples', () => {
  it('gives a zero-width interval for a constant sample', () => {
    const result = bootstrapInterval(Array(50).fill(4.2), MEAN, options);
    expect(result.estimate).toBeCloseTo(4.2, 12);
    expect(result.interval.low).toBeCloseTo(4.2, 12);
    expect(result.interval.high).toBeCloseTo(4.2, 12);
  });

  it('matches the normal-theory interval of a mean: 0/1 sample of 400 → 0.5 ± 0.049', () => {
    const sample = Array.from({ length: 400 }, (_, i) => i % 2);
    const { estimate, interval } = bootstrapInterval(sample, MEAN, options);
    expect(estimate).toBe(0.5);
    expect(interval.low).toBeCloseTo(0.451, 2);
    expect(interval.high).toBeCloseTo(0.549, 2);
  });

  it('uses the normal limit for large samples with the same width: 1..20000 → mean ± 1.96·s/√n', () => {
    const sample = Array.from({ length: 20_000 }, (_, i) => i + 1);
    const { estimate, interval } = bootstrapInterval(sample, MEAN, options);
    const halfWidth = (1.96 * Math.sqrt((20_000 ** 2 - 1) / 12)) / Math.sqrt(20_000);
    expect(estimate).toBe(10_000.5);
    expect(interval.low).toBeCloseTo(10_000.5 - halfWidth, -1);
    expect(interval.high).toBeCloseTo(10_000.5 + halfWidth, -1);
  });

  it('matches the binomial order-statistic interval of a median: 1..1000 → [469, 532]', () => {
    const sample = Array.from({ length: 1_000 }, (_, i) => 1_000 - i);
    const { estimate, interval } = bootstrapInterval(sample, quantile(0.5), options);
    expect(estimate).toBe(500);
    expect(Math.abs(interval.low - 469)).toBeLessThanOrEqual(4);
    expect(Math.abs(interval.high - 532)).toBeLessThanOrEqual(4);
  });

  it('uses nearest-rank quantiles', () => {
    const sample = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(computeStatistic(sample, quantile(0.99))).toBe(99);
    expect(computeStatistic(sample, quantile(1))).toBe(100);
    expect(computeStatistic(sample, quantile(0.5))).toBe(50);
  });

  it('is reproducible from its seed and changes with it', () => {
    const sample = Array.from({ length: 200 }, (_, i) => (i * 37) % 101);
    const first = bootstrapInterval(sample, quantile(0.9), options);
    const again = bootstrapInterval(sample, quantile(0.9), options);
    const other = bootstrapInterval(sample, MEAN, { ...options, seed: 8 });
    const reference = bootstrapInterval(sample, MEAN, options);
    expect(again).toEqual(first);
    expect(other.interval).not.toEqual(reference.interval);
  });

  it('centres the difference of two identical samples on zero', () => {
    const sample = Array.from({ length: 300 }, (_, i) => 10 + (i % 7));
    const result = bootstrapDifference(sample, [...sample], MEAN, options);
    expect(result.diff).toBe(0);
    expect(result.relDiff).toBe(0);
    expect(result.ci.low).toBeLessThan(0);
    expect(result.ci.high).toBeGreaterThan(0);
    expect(result.relCi!.low).toBeLessThan(0);
    expect(result.relCi!.high).toBeGreaterThan(0);
  });

  it('finds a shift of +10 between two samples inside its interval', () => {
    const a = Array.from({ length: 500 }, (_, i) => 100 + (i % 10));
    const b = a.map((v) => v + 10);
    const result = bootstrapDifference(a, b, MEAN, options);
    expect(result.diff).toBeCloseTo(10, 10);
    expect(result.ci.low).toBeGreaterThan(9);
    expect(result.ci.high).toBeLessThan(11);
    expect(result.relDiff).toBeCloseTo(10 / 104.5, 10);
  });

  it('widens small-sample intervals to t-interval width (expanded percentile)', () => {
    // n = 30: √(30/29) · t(0.975, 29) = 2.080 → two-sided level 0.9625.
    expect(expandedLevel(0.95, 30)).toBeCloseTo(0.9625, 3);
    // n = 3: √(3/2) · t(0.975, 2) = 5.27 → every resample but the extremes.
    expect(expandedLevel(0.95, 3)).toBeGreaterThan(0.99999);
    expect(expandedLevel(0.95, 10_000)).toBeCloseTo(0.95, 3);
    const three = bootstrapInterval([10, 11, 12], MEAN, { ...options, expandSmallSamples: true });
    expect(three.interval.low).toBeCloseTo(10, 6);
    expect(three.interval.high).toBeCloseTo(12, 6);
  });

  it('rejects an empty sample and a bad quantile with clear errors', () => {
    expect(() => bootstrapInterval([], MEAN, options)).toThrow('bootstrap needs at least one value');
    expect(() => bootstrapInterval([1, 2], quantile(0), options)).toThrow('quantile must be in (0, 1]');
    expect(() => bootstrapInterval([1, 2], MEAN, { ...options, resamples: 1 })).toThrow(
      'resamples must be an integer from 10 to 100000',
    );
  });
});
