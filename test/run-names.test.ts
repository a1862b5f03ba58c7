import { describe, expect, it } from 'vitest';
import { compactCount, dbRunName, loadRunName, memoryRunName, poolRunName } from '../src/shared/run-names.js';
import { DbSpecSchema, LoadSpecSchema, MemorySpecSchema, PoolSpecSchema } from '../src/shared/specs/index.js';

describe('runs are named by the settings that tell them apart', () => {
  it('writes counts as people say them', () => {
    const cases: Array<[number, string]> = [[0, '0'], [7, '7'], [1_500, '1.5k'], [20_000, '20k'], [100_000, '100k'], [2_000_000, '2M'], [1_234_567, '1.23M'], [0.5, '0.5']];
    for (const [value, text] of cases) expect(compactCount(value), String(value)).toBe(text);
  });

  it('names each kind', () => {
    const pool = PoolSpecSchema.parse({ kind: 'pool', task: { name: 'primes', params: { limit: 100_000 } }, pool: { threads: 2 }, jobs: 20_000 });
    expect(poolRunName(pool)).toBe('primes 100k · piscina · 2 threads · 20k jobs');
    const oneThread = PoolSpecSchema.parse({ kind: 'pool', task: { name: 'fibonacci', params: { n: 30 } }, pool: { implementation: 'simple', threads: 1 }, jobs: 1 });
    expect(poolRunName(oneThread)).toBe('fibonacci(30) · simple · 1 thread · 1 job');
    const load = LoadSpecSchema.parse({ kind: 'load', target: { type: 'url', url: 'http://127.0.0.1:3000/api' }, load: { mode: 'open', rate: 2_000, durationSec: 20 } });
    expect(loadRunName(load)).toBe('open loop 2k req/s · 127.0.0.1:3000 · 20 s');
    const db = DbSpecSchema.parse({ kind: 'db', workload: { type: 'pointSelect' }, pool: { max: 20 }, concurrency: 40 });
    expect(dbRunName(db)).toBe('pointSelect · pool 20 · 40 in flight · embedded');
    const memory = MemorySpecSchema.parse({ kind: 'memory', scenario: 'leak', rate: 2_000, objectSizeBytes: 1_024, durationSec: 30 });
    expect(memoryRunName(memory)).toBe('leak · 2k/s of 1 KB · 30 s');
  });
});
