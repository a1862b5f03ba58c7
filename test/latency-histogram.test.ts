import { describe, expect, it } from 'vitest';
import {
  LATENCY_HIGHEST_TRACKABLE_US,
  LATENCY_LOWEST_DISCERNIBLE_US,
  LATENCY_SIGNIFICANT_DIGITS,
  LatencyHistogram,
} from '../src/node/stats/latency-histogram.js';

describe('the one latency histogram', () => {
  it('has the documented precision and bounds', () => {
    expect(LATENCY_SIGNIFICANT_DIGITS).toBe(3);
    expect(LATENCY_LOWEST_DISCERNIBLE_US).toBe(1);
    expect(LATENCY_HIGHEST_TRACKABLE_US).toBe(3_600_000_000);
  });

  it('reads every value back within 0.1 % (or the rounding to whole microseconds) at every magnitude, from 1 µs to an hour', () => {
    for (const ms of [0.001, 0.0537, 0.25, 1.234, 12.345, 987.6, 4_321.5, 59_999, 3_599_999]) {
      const histogram = new LatencyHistogram();
      histogram.recordMs(ms);
      const read = histogram.percentileMs(50);
      expect(Math.abs(read - ms), `${ms} ms read as ${read} ms`).toBeLessThanOrEqual(Math.max(ms * 0.001, 0.0005));
    }
  });

  it('records 0 and negative values as 0 and clamps above an hour; count, max and mean are exact', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.percentileMs(99)).toBe(0);
    expect(histogram.maxMs).toBe(0);
    expect(histogram.meanMs).toBe(0);
    histogram.recordMs(-0.2);
    histogram.recordMs(0);
    expect(histogram.percentileMs(100)).toBe(0);
    histogram.recordMs(7_200_000);
    expect(histogram.count).toBe(3);
    expect(histogram.percentileMs(100)).toBeCloseTo(3_600_000, -4);
    expect(histogram.maxMs).toBe(7_200_000);
    expect(histogram.meanMs).toBe(2_400_000);
  });

  it('adds and resets', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) a.recordMs(i);
    for (let i = 101; i <= 200; i++) b.recordMs(i);
    a.add(b);
    expect(a.count).toBe(200);
    expect(a.percentileMs(50)).toBeCloseTo(100, 0);
    expect(a.maxMs).toBe(200);
    expect(a.meanMs).toBeCloseTo(100.5, 9);
    a.reset();
    expect(a.count).toBe(0);
    expect(a.percentileMs(50)).toBe(0);
  });
});
