import { describe, expect, it } from 'vitest';
import { percentAxisTop } from '../src/renderer/charts/percent-axis.js';

describe('a percent axis tops at 100, or at a top with round quarters above CPU of more than one core', () => {
  it.each([
    [0, 100],
    [50.8, 100],
    [100, 100],
    [102, 120],
    [150, 160],
    [199.9, 200],
    [390, 400],
    [730, 800],
    [3_300, 4_000],
    [Number.NaN, 100],
    [Number.NEGATIVE_INFINITY, 100],
  ])('data up to %s → %s', (dataMax, top) => {
    expect(percentAxisTop(dataMax)).toBe(top);
  });
});
