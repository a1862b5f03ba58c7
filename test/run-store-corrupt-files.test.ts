import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
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

describe('RunStore with unreadable files', () => {
  it('sets a corrupt file and a non-record file aside with a warning, keeps them, and still lists the good runs', async () => {
    await fs.mkdir(runsDir, { recursive: true });
    const good = tinyRunRecord('run-good');
    await fs.writeFile(path.join(runsDir, 'run-good.json'), JSON.stringify(good));
    await fs.writeFile(path.join(runsDir, 'broken.json'), '{"format": 1, "id": "bro');
    await fs.writeFile(path.join(runsDir, 'stranger.json'), '{"hello": "world"}');

    const store = new RunStore(dataDir);
    await store.open();

    expect(store.list().map((item) => item.id)).toEqual(['run-good']);
    expect(store.warnings).toHaveLength(2);
    expect(store.warnings.find((warning) => warning.includes('broken.json'))).toMatch(/not valid JSON/);
    expect(store.warnings.find((warning) => warning.includes('stranger.json'))).toMatch(/not a run record/);

    const setAside = await fs.readdir(path.join(runsDir, 'corrupt'));
    expect(setAside).toHaveLength(2);
    const contents = await Promise.all(setAside.map((name) => fs.readFile(path.join(runsDir, 'corrupt', name), 'utf8')));
    expect(contents.sort()).toEqual(['{"format": 1, "id": "bro', '{"hello": "world"}'].sort());
    expect((await fs.readdir(runsDir)).sort()).toEqual(['corrupt', 'run-good.json']);
  });

  it('lets the engine open over unreadable files and report them as start-up warnings', async () => {
    await fs.mkdir(runsDir, { recursive: true });
    await fs.writeFile(path.join(runsDir, 'run-good.json'), JSON.stringify(tinyRunRecord('run-good')));
    await fs.writeFile(path.join(runsDir, 'broken.json'), 'not json at all');

    const engine = await Engine.create({ dataDir, workersDir: process.env.TUNEBENCH_WORKERS_DIR!, host: 'test' });
    try {
      const info = await engine.call('app.info', {});
      expect(info.warnings).toHaveLength(1);
      expect(info.warnings[0]).toContain('broken.json');
      const { runs, warnings } = await engine.call('runs.list', {});
      expect(runs.map((run) => run.id)).toEqual(['run-good']);
      expect(warnings).toEqual(info.warnings);
    } finally {
      await engine.dispose();
    }
    expect(await fs.readdir(path.join(runsDir, 'corrupt'))).toHaveLength(1);
  });
});
