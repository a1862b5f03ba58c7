import { describe, expect, it } from 'vitest';
import { labelledRunName, sweepRunLabel } from '../src/shared/run-names.js';

interface Case {
  name: string;
  base: string;
  settings: Record<string, number | string | boolean>;
  repeat: number;
  expected: string;
}

describe('a sweep\'s run says its point\'s setting once', () => {
  it.each<Case>([
    { name: 'a service knob the name already says', base: 'orders poolMax=1 · 3 s', settings: { 'target.knobs.poolMax': 1 }, repeat: 1, expected: '#2' },
    { name: 'a knob the name does not say (another value)', base: 'orders poolMax=10 · 3 s', settings: { 'target.knobs.poolMax': 1 }, repeat: 0, expected: 'target.knobs.poolMax=1 #1' },
    { name: 'pool threads said as "2 threads"', base: 'primes 100k · piscina · 2 threads · 20k jobs', settings: { 'pool.threads': 2 }, repeat: 0, expected: '#1' },
    { name: 'one thread said as "1 thread"', base: 'primes 100k · piscina · 1 thread · 20k jobs', settings: { 'pool.threads': 1 }, repeat: 2, expected: '#3' },
    { name: 'a db pool said as "pool 20"', base: 'pointSelect · pool 20 · 40 in flight · embedded', settings: { 'pool.max': 20 }, repeat: 0, expected: '#1' },
    {
      name: 'of two settings, only the one the name does not say',
      base: 'primes 100k · piscina · 4 threads · 20k jobs',
      settings: { 'pool.threads': 4, 'pool.maxQueue': 64 },
      repeat: 0,
      expected: 'pool.maxQueue=64 #1',
    },
    { name: 'a number inside another word is not the setting', base: 'orders poolMax=10 · 3 s', settings: { 'target.knobs.poolMax': 1 }, repeat: -1, expected: 'target.knobs.poolMax=1 (warm-up)' },
    { name: 'the warm-up run', base: 'orders poolMax=1 · 3 s', settings: { 'target.knobs.poolMax': 1 }, repeat: -1, expected: '(warm-up)' },
    { name: 'a name the user typed', base: 'my run', settings: { concurrency: 8 }, repeat: 0, expected: 'concurrency=8 #1' },
  ])('$name', ({ base, settings, repeat, expected }) => {
    expect(sweepRunLabel(base, settings, repeat)).toBe(expected);
  });

  it.each([
    { base: 'orders poolMax=1 · 3 s', label: '#2', expected: 'orders poolMax=1 · 3 s #2' },
    { base: 'orders poolMax=1 · 3 s', label: '(warm-up)', expected: 'orders poolMax=1 · 3 s (warm-up)' },
    { base: 'my run', label: 'concurrency=8 #1', expected: 'my run · concurrency=8 #1' },
    { base: 'my run', label: undefined, expected: 'my run' },
  ])('the run is named "$expected"', ({ base, label, expected }) => {
    expect(labelledRunName(base, label)).toBe(expected);
  });
});
