import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { spawnNode, waitForOutput } from './fixtures/built.js';

let dataDir: string;
let engine: Engine | undefined;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-kill9-'));
});
afterAll(async () => {
  await engine?.dispose();
  await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('kill -9 of the workbench during a run', () => {
  it('leaves a journal that the next start turns into an interrupted run with all but the last second', async () => {
    const specFile = path.join(dataDir, 'long.json');
    await fs.writeFile(
      specFile,
      JSON.stringify({ kind: 'pool', name: 'killed mid-run', task: { name: 'spin', params: { ms: 2 } }, pool: { threads: 1 }, jobs: 100_000, sampleIntervalMs: 100, timeLimitSec: 120 }),
    );
    const { child, finished } = spawnNode(['bin/tunebench.js', 'run', specFile], { TUNEBENCH_DATA_DIR: dataDir });
    const line = await waitForOutput(child, 'stderr', /Running pool experiment as (\S+)/);
    const runId = /as (\S+)/.exec(line)![1]!;
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const killedAfterMs = Date.now() - started;
    child.kill('SIGKILL');
    await finished;
    const journal = path.join(dataDir, 'runs', `${runId}.journal.ndjson`);
    expect((await fs.stat(journal)).size).toBeGreaterThan(0);

    engine = await Engine.create({ dataDir, workersDir: process.env.TUNEBENCH_WORKERS_DIR!, host: 'test' });
    const { runs } = await engine.call('runs.list', {});
    expect(runs.map((run) => [run.id, run.status])).toEqual([[runId, 'interrupted']]);
    expect(engine.warnings.join('\n')).toContain(`Run "killed mid-run" (${runId}) was interrupted`);
    await expect(fs.access(journal)).rejects.toThrow();

    const { run } = await engine.call('runs.get', { runId });
    // Everything up to the last flush (at least once a second): the run had been measuring about 4 s.
    const lastSample = Math.max(...Object.values(run.series).map((series) => series.t.at(-1) ?? 0));
    const samples = Object.values(run.series).reduce((sum, series) => sum + series.t.length, 0);
    console.log(`fault matrix: kill -9 workbench during pool: recovered ${samples} samples up to ${lastSample} ms of ${killedAfterMs} ms`);
    expect(lastSample).toBeGreaterThan(killedAfterMs - 1_000 - 1_500);
    expect(run.series.throughput!.t.length).toBeGreaterThan(10);
    expect(run.summary.completed?.value ?? 0).toBeGreaterThan(0);

    // Like any run: exported, compared, deleted.
    const exported = await engine.call('report.export', { target: { runId }, format: 'json' });
    expect(JSON.parse(exported.content).run.status).toBe('interrupted');
    const comparison = await engine.call('runs.compare', { baseline: { runIds: [runId] }, candidate: { runIds: [runId] }, allowNoisy: true });
    expect(comparison.comparison.rows.length).toBeGreaterThan(0);
  });
});
