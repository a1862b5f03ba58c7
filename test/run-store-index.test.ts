import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../src/main/engine/store.js';
import { tinyRunRecord } from './fixtures/run-record.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-store-index-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

async function storeWith(count: number): Promise<RunStore> {
  const store = new RunStore(dataDir);
  await store.open();
  for (let i = 0; i < count; i++) await store.save(tinyRunRecord(`run-${i}`, new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()));
  await store.close();
  return store;
}

async function reopened(): Promise<RunStore> {
  const store = new RunStore(dataDir);
  await store.open();
  return store;
}

describe('the runs index', () => {
  it('lists every run on the next start without reading a single record', async () => {
    const first = await storeWith(30);
    const store = await reopened();
    expect(store.list()).toEqual(first.list());
    expect(store.list()).toHaveLength(30);
    // Nothing was parsed: records are read when opened.
    expect(store.cachedBytes).toBe(0);
    expect((await store.get('run-7')).name).toBe('tiny run-7');
  });

  it('follows the records, never the other way round: a changed, added or removed record file wins over the index', async () => {
    await storeWith(3);
    await fs.writeFile(path.join(dataDir, 'runs', 'run-1.json'), JSON.stringify({ ...tinyRunRecord('run-1'), name: 'renamed on disk' }));
    await fs.writeFile(path.join(dataDir, 'runs', 'run-added.json'), JSON.stringify(tinyRunRecord('run-added')));
    await fs.rm(path.join(dataDir, 'runs', 'run-2.json'));
    const store = await reopened();
    const names = Object.fromEntries(store.list().map((item) => [item.id, item.name]));
    expect(names).toEqual({ 'run-0': 'tiny run-0', 'run-1': 'renamed on disk', 'run-added': 'tiny run-added' });
    await store.close();
    // And the index it wrote is right for the start after.
    expect((await reopened()).list().map((item) => item.id).sort()).toEqual(['run-0', 'run-1', 'run-added']);
  });

  it('is rebuilt from the records when it is missing or unreadable', async () => {
    const first = await storeWith(5);
    for (const content of ['{ not json', JSON.stringify({ format: 99, entries: [] }), JSON.stringify({ format: 1, entries: [{ file: 'x' }] })]) {
      await fs.writeFile(path.join(dataDir, 'runs.index.json'), content);
      expect((await reopened()).list()).toEqual(first.list());
    }
    await fs.rm(path.join(dataDir, 'runs.index.json'));
    expect((await reopened()).list()).toEqual(first.list());
  });

  it('cannot smuggle an unsafe id into the list: entries must match their record file', async () => {
    await storeWith(1);
    const index = JSON.parse(await fs.readFile(path.join(dataDir, 'runs.index.json'), 'utf8'));
    index.entries[0].item.id = '../escape';
    await fs.writeFile(path.join(dataDir, 'runs.index.json'), JSON.stringify(index));
    expect((await reopened()).list().map((item) => item.id)).toEqual(['run-0']);
  });
});
