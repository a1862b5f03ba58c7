import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../src/main/engine/store.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { tinyRunRecord } from './fixtures/run-record.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-store-cache-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

function withSeries(id: string, points: number): RunRecord {
  const t = Array.from({ length: points }, (_, i) => i);
  return { ...tinyRunRecord(id), series: { throughput: { unit: 'jobs/s', t, v: t.map((i) => i % 7) } } };
}

const fileOf = (id: string) => path.join(dataDir, 'runs', `${id}.json`);

describe('RunStore record cache', () => {
  it('serves a record saved or read before from memory, as the same frozen record', async () => {
    const store = new RunStore(dataDir);
    await store.open();
    await store.save(withSeries('run-a', 1_000));
    const first = await store.get('run-a');
    expect(first).toEqual(withSeries('run-a', 1_000));
    expect(await store.get('run-a')).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.series.throughput)).toBe(true);
    expect(() => {
      (first as { status: string }).status = 'failed';
    }).toThrow(TypeError);

    const reopened = new RunStore(dataDir);
    await reopened.open();
    const read = await reopened.get('run-a');
    expect(read).toEqual(first);
    expect(await reopened.get('run-a')).toBe(read);
  });

  it('reads a record again when its file changed on disk', async () => {
    const store = new RunStore(dataDir);
    await store.open();
    await store.save(withSeries('run-a', 10));
    const before = await store.get('run-a');
    await fs.writeFile(fileOf('run-a'), JSON.stringify({ ...withSeries('run-a', 10), name: 'renamed outside' }));

    const after = await store.get('run-a');
    expect(after).not.toBe(before);
    expect(after.name).toBe('renamed outside');
  });

  it('keeps no more records than its byte budget, and reads the dropped ones from disk again', async () => {
    const bytes = JSON.stringify(withSeries('run-a', 1_000)).length;
    const store = new RunStore(dataDir, { cacheBytes: Math.floor(bytes * 1.5) });
    await store.open();
    await store.save(withSeries('run-a', 1_000));
    await store.save(withSeries('run-b', 1_000));
    expect(store.cachedBytes).toBeLessThanOrEqual(Math.floor(bytes * 1.5));

    const b = await store.get('run-b');
    expect(await store.get('run-b')).toBe(b);
    const a = await store.get('run-a');
    expect(a).toEqual(withSeries('run-a', 1_000));
    // Reading run-a pushed run-b out.
    const bAgain = await store.get('run-b');
    expect(bAgain).not.toBe(b);
    expect(bAgain).toEqual(b);
  });

  it('forgets a deleted record and names a bad cache budget', async () => {
    const store = new RunStore(dataDir);
    await store.open();
    await store.save(withSeries('run-a', 10));
    await store.get('run-a');
    await store.delete('run-a');
    expect(store.cachedBytes).toBe(0);
    await expect(store.get('run-a')).rejects.toMatchObject({ code: 'TB_RUN_NOT_FOUND' });
    expect(() => new RunStore(dataDir, { cacheBytes: -5 })).toThrow('cache size must be a whole number of bytes, 0 or more (got -5)');
  });
});
