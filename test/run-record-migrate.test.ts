import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../src/main/engine/store.js';
import { tinyRunRecord } from './fixtures/run-record.js';

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('records in an older format', () => {
  it('are migrated on read, never set aside as corrupt: a format-1 load spec loses nodePath, kept as information', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-migrate-'));
    await fs.mkdir(path.join(dataDir, 'runs'));
    const old = {
      ...tinyRunRecord('old-load'),
      format: 1,
      kind: 'load',
      spec: { kind: 'load', target: { type: 'cluster', cluster: { workers: 2, nodePath: '/opt/node/bin/node' } } },
    };
    await fs.writeFile(path.join(dataDir, 'runs', 'old-load.json'), JSON.stringify(old));
    const store = new RunStore(dataDir);
    await store.open();
    expect(store.warnings).toEqual([]);
    const record = await store.get('old-load');
    expect(record.format).toBe(2);
    expect(record.spec).toEqual({ kind: 'load', target: { type: 'cluster', cluster: { workers: 2 } } });
    expect(record.environment.extra?.subjectNodePathFromSpec).toBe('/opt/node/bin/node');
    await store.close();
  });

  it('from a newer Tunebench is set aside with a warning that says so, not read as something else', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-migrate-'));
    await fs.mkdir(path.join(dataDir, 'runs'));
    await fs.writeFile(path.join(dataDir, 'runs', 'future.json'), JSON.stringify({ ...tinyRunRecord('future'), format: 99 }));
    const store = new RunStore(dataDir);
    await store.open();
    expect(store.list()).toEqual([]);
    expect(store.warnings.join('\n')).toContain('format');
    await store.close();
  });
});
