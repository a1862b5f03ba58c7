import { describe, expect, it } from 'vitest';
import { downsample } from '../src/renderer/charts/downsample.js';

function ramp(length: number): { t: number[]; v: number[] } {
  const t = Array.from({ length }, (_, i) => i * 10);
  return { t, v: t.map((x) => x / 10) };
}

describe('downsample (LTTB) for drawing', () => {
  it('returns a short series unchanged, as a copy', () => {
    const input = { t: [0, 1, 2], v: [5, 6, 7] };
    const output = downsample(input, 500);
    expect(output).toEqual(input);
    expect(output.t).not.toBe(input.t);
  });

  it('reduces a 100,000-point series to the threshold, keeping first and last points in time order', () => {
    const output = downsample(ramp(100_000), 500);
    expect(output.t).toHaveLength(500);
    expect(output.v).toHaveLength(500);
    expect(output.t[0]).toBe(0);
    expect(output.t[499]).toBe(999_990);
    for (let i = 1; i < output.t.length; i++) expect(output.t[i]!).toBeGreaterThan(output.t[i - 1]!);
  });

  it('keeps a single spike that an average would flatten', () => {
    const input = { t: Array.from({ length: 10_000 }, (_, i) => i), v: new Array<number>(10_000).fill(1) };
    input.v[4_321] = 900;
    const output = downsample(input, 100);
    expect(Math.max(...output.v)).toBe(900);
    expect(output.t).toContain(4_321);
  });

  it('keeps every kept point on the input', () => {
    const input = { t: Array.from({ length: 2_000 }, (_, i) => i), v: Array.from({ length: 2_000 }, (_, i) => Math.sin(i / 50)) };
    const output = downsample(input, 200);
    output.t.forEach((t, i) => expect(output.v[i]).toBe(input.v[t]));
  });

  it('names what is wrong with bad input', () => {
    expect(() => downsample(ramp(10), 2)).toThrow('downsample threshold must be an integer of at least 3 (got 2)');
    expect(() => downsample({ t: [1, 2], v: [1] }, 10)).toThrow('downsample needs t and v of equal length (got 2 and 1)');
  });
});
