import { describe, expect, it } from 'vitest';
import { percentAxisTop } from '../src/renderer/charts/percent-axis.js';

describe('a percent axis tops at 100, or at a round step above CPU of more than one core', () => {
  it.each([
    [0, 100],
    [50.8, 100],
    [100, 100],
    [102, 150],
    [150, 150],
    [199.9, 200],
    [390, 400],
    [730, 800],
    [Number.NaN, 100],
    [Number.NEGATIVE_INFINITY, 100],
  ])('data up to %s → %s', (dataMax, top) => {
    expect(percentAxisTop(dataMax)).toBe(top);
  });
});
