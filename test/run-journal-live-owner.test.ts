import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { spinSpec } from './fixtures/experiments.js';

const workersDir = process.env.TUNEBENCH_WORKERS_DIR!;
const engines: Engine[] = [];
let dataDir: string | undefined;

afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.dispose()));
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('a journal whose workbench is alive', () => {
  it('is left alone by a second workbench on the same data directory, and removed once its run is saved', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-live-journal-'));
    const first = await Engine.create({ dataDir, workersDir, host: 'test' });
    engines.push(first);
    const { runId } = await first.call('runs.start', { spec: { ...spinSpec(1, 400), timeLimitSec: 30 } });
    const journal = path.join(dataDir, 'runs', `${runId}.journal.ndjson`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await fs.stat(journal)).size).toBeGreaterThan(0);

    const second = await Engine.create({ dataDir, workersDir, host: 'test' });
    engines.push(second);
    expect((await second.call('runs.list', {})).runs).toEqual([]);
    expect(second.warnings).toEqual([]);
    await expect(fs.access(journal)).resolves.toBeUndefined();

    await first.call('runs.stop', { runId });
    await expect(fs.access(journal)).rejects.toThrow();
    expect((await first.call('runs.get', { runId })).run.status).toBe('stopped');
  });
});
