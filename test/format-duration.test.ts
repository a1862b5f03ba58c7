import { describe, expect, it } from 'vitest';
import { formatDuration } from '../src/shared/format-duration.js';

describe('a duration, written the same everywhere', () => {
  it.each([
    [0, '0 ms'],
    [849.6, '850 ms'],
    [1_000, '1.0 s'],
    [42_500, '42.5 s'],
    [59_949, '59.9 s'],
    [101_100, '1 min 41 s'],
    [119_600, '2 min 0 s'],
    [191_000, '3 min 11 s'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%s ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
