import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunRecordSchema } from '../src/shared/run-record.js';
import { spawnNode, waitForOutput } from './fixtures/built.js';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-stop-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('tunebench run and Ctrl-C', () => {
  it('stops the run on SIGINT, saves it as stopped and exits 130', async () => {
    const specFile = path.join(dir, 'long.json');
    // Long enough (about 40 s of spinning) that it cannot finish before the signal; the time limit bounds it.
    await fs.writeFile(
      specFile,
      JSON.stringify({ kind: 'pool', task: { name: 'spin', params: { ms: 20 } }, pool: { threads: 1 }, jobs: 2000, timeLimitSec: 60 }),
    );
    const out = path.join(dir, 'out');
    const { child, finished } = spawnNode(['bin/tunebench.js', 'run', specFile, '--json', '--out', out]);
    await waitForOutput(child, 'stderr', /Running pool experiment as \S+/);
    child.kill('SIGINT');
    const result = await finished;

    expect(result.code, result.stderr).toBe(130);
    const record = RunRecordSchema.parse(JSON.parse(result.stdout));
    expect(record.status).toBe('stopped');
    const saved = RunRecordSchema.parse(JSON.parse(await fs.readFile(path.join(out, 'runs', `${record.id}.json`), 'utf8')));
    expect(saved.status).toBe('stopped');
  });
});
