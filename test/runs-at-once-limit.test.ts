import { afterEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/main/engine/engine.js';
import { spinSpec } from './fixtures/experiments.js';

const workersDir = process.env.TUNEBENCH_WORKERS_DIR!;
let engine: Engine | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await engine?.dispose();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('runs at once are bounded by a host setting', () => {
  it('refuses one run more than the limit with TB_TOO_MANY_RUNS, and starts it again once a run has ended', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-max-runs-'));
    engine = await Engine.create({ dataDir, workersDir, host: 'test', maxConcurrentRuns: 1 });
    const first = await engine.call('runs.start', { spec: spinSpec(1, 30) });
    await expect(engine.call('runs.start', { spec: spinSpec(1, 5) })).rejects.toMatchObject({
      code: 'TB_TOO_MANY_RUNS',
      message: 'Already running 1 of the 1 runs this workbench runs at once; stop one or wait for one to end',
    });
    await engine.runs.wait(first.runId);
    const second = await engine.call('runs.start', { spec: spinSpec(1, 5) });
    expect((await engine.runs.wait(second.runId))?.status).toBe('completed');
  });

  it('checks the setting before anything starts', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-max-runs-'));
    await expect(Engine.create({ dataDir, workersDir, host: 'test', maxConcurrentRuns: 0 })).rejects.toMatchObject({
      code: 'TB_OPTION_OUT_OF_RANGE',
      message: 'maxConcurrentRuns must be an integer from 1 to 64; got 0',
    });
  });
});
