import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingRuns } from '../src/main/engine/studies/sweep-runner.js';
import { spawnNode, tunebench, waitForOutput } from './fixtures/built.js';
import { spinSpec } from './fixtures/experiments.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-sweep-resume-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('resuming a sweep', () => {
  it('knows which scheduled runs are missing: failed, stopped and interrupted runs count as not done', () => {
    const spec = { kind: 'sweep', base: spinSpec(1, 5), axes: [{ path: 'pool.threads', values: [1, 2] }], repeats: 2, warmup: 1, order: 'sequential', seed: 1 };
    const entry = (point: number, repeat: number, status: 'completed' | 'failed' | 'interrupted') => ({ runId: `r${point}${repeat}`, point, repeat, status, durationMs: 1, summary: {} });
    const record = { spec, runs: [entry(0, -1, 'completed'), entry(0, 0, 'completed'), entry(1, 0, 'failed'), entry(0, 1, 'interrupted')] } as never;
    expect(missingRuns(record)).toEqual([
      { point: 1, repeat: 0 },
      { point: 0, repeat: 1 },
      { point: 1, repeat: 1 },
    ]);
  });

  it('after kill -9 of the CLI mid-sweep: the sweep is interrupted, and --resume runs only what is missing into the same sweep', async () => {
    const specFile = path.join(dataDir, 'sweep.json');
    const base = { ...spinSpec(1, 300), name: 'resumable', timeLimitSec: 30 };
    await fs.writeFile(specFile, JSON.stringify({ kind: 'sweep', base, axes: [{ path: 'pool.threads', values: [1, 2] }], repeats: 2, warmup: 0, order: 'sequential', seed: 3 }));
    const env = { TUNEBENCH_DATA_DIR: dataDir };
    const { child, finished } = spawnNode(['bin/tunebench.js', 'sweep', specFile], env);
    // The second run has started: the first is finished and saved in the sweep.
    await waitForOutput(child, 'stderr', /run 2 of 4/);
    // Into the second run far enough for its journal's first flush (a line beyond the header), then killed: waited for,
    // not slept, so a late timer on a busy machine cannot let the run finish first.
    const runsDir = path.join(dataDir, 'runs');
    const flushed = async () => {
      for (const name of await fs.readdir(runsDir).catch(() => [] as string[])) {
        if (!name.endsWith('.journal.ndjson')) continue;
        const text = await fs.readFile(path.join(runsDir, name), 'utf8').catch(() => '');
        if (text.split('\n').filter(Boolean).length >= 2) return true;
      }
      return false;
    };
    const deadline = Date.now() + 20_000;
    while (!(await flushed()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill('SIGKILL');
    await finished;

    const listed = await tunebench(['runs', '--json'], env);
    const sweepsDir = path.join(dataDir, 'sweeps');
    const sweepFile = (await fs.readdir(sweepsDir)).find((name) => name.endsWith('.json'))!;
    const sweepId = sweepFile.replace(/\.json$/, '');
    expect(JSON.parse(listed.stdout).map((run: { status: string }) => run.status).sort()).toEqual(['completed', 'interrupted']);

    const resumed = await tunebench(['sweep', '--resume', sweepId, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming sweep ${sweepId}: 3 run(s) to go`);
    const { sweep } = JSON.parse(resumed.stdout);
    expect(sweep.id).toBe(sweepId);
    expect(sweep.status).toBe('completed');
    const completed = sweep.runs.filter((run: { status: string }) => run.status === 'completed');
    expect(completed.map((run: { point: number; repeat: number }) => `${run.point}:${run.repeat}`).sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);

    // Progress counts what the schedule still needed: it ends at 4 of 4, never past it.
    expect(resumed.stderr).toMatch(/run 2 of 4/);
    expect(resumed.stderr).toMatch(/run 4 of 4/);
    expect(resumed.stderr).not.toMatch(/run 5 of 4/);
    // The report counts only completed runs as measured; the cut one is named apart.
    const notCompleted = sweep.runs.length - completed.length;
    const report = await tunebench(['report', sweepId, '--format', 'md'], env);
    expect(report.stdout).toContain(`4 measured + 0 warm-up of 4 planned${notCompleted ? ` (not counted: ${notCompleted} interrupted)` : ''}`);

    const again = await tunebench(['sweep', '--resume', sweepId], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('nothing to resume');
  });
});
