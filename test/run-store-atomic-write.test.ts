import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../src/main/engine/store.js';
import { tinyRunRecord } from './fixtures/run-record.js';

let dataDir: string;
let runsDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-store-'));
  runsDir = path.join(dataDir, 'runs');
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('RunStore writes', () => {
  it('writes a record atomically: the record file and no temp file', async () => {
    const store = new RunStore(dataDir);
    await store.open();
    const record = tinyRunRecord('run-a');
    await store.save(record);

    expect(await fs.readdir(runsDir)).toEqual(['run-a.json']);
    expect(JSON.parse(await fs.readFile(path.join(runsDir, 'run-a.json'), 'utf8'))).toEqual(record);
    expect(await store.get('run-a')).toEqual(record);
  });

  it('finds saved runs again when reopened, newest first', async () => {
    const first = new RunStore(dataDir);
    await first.open();
    await first.save(tinyRunRecord('run-old', '2025-01-01T00:00:00.000Z'));
    await first.save(tinyRunRecord('run-new', '2025-02-01T00:00:00.000Z'));

    const reopened = new RunStore(dataDir);
    await reopened.open();
    expect(reopened.list().map((item) => item.id)).toEqual(['run-new', 'run-old']);
    expect(reopened.warnings).toEqual([]);
  });

  it('drops the temp file of an interrupted write and keeps the previous version', async () => {
    const store = new RunStore(dataDir);
    await store.open();
    const record = tinyRunRecord('run-a');
    await store.save(record);
    await fs.writeFile(path.join(runsDir, 'run-a.json.123.456.tmp'), '{"half a rec');

    const reopened = new RunStore(dataDir);
    await reopened.open();
    expect(await fs.readdir(runsDir)).toEqual(['run-a.json']);
    expect(await reopened.get('run-a')).toEqual(record);
    expect(reopened.warnings).toEqual([]);
  });
});
