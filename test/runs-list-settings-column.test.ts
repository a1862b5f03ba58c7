import { describe, expect, it } from 'vitest';
import { settingsBesideName } from '../src/renderer/runs/run-list-rows.js';

describe('runs list: the settings column', () => {
  it.each([
    ['an unnamed run, named by its settings', 'primes 1M · piscina · 2 threads · 1.5k jobs', 'primes 1M · piscina · 2 threads · 1.5k jobs', undefined],
    ["a sweep's run, its settings and a repeat", 'closed loop 40 connections · orders poolMax=1 · 3 s #2', 'closed loop 40 connections · orders poolMax=1 · 3 s', undefined],
    ['a run the user named', 'event loop: 50 ms task on the pool', 'cpu-pool · 50 ms tasks at 10/s · 2 s', 'cpu-pool · 50 ms tasks at 10/s · 2 s'],
    ['a run from before settings were listed', 'pool: primes', undefined, undefined],
  ])('%s', (_case, name, settings, shown) => {
    expect(settingsBesideName({ name, ...(settings !== undefined ? { settings } : {}) })).toBe(shown);
  });
});
