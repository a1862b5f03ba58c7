import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnNode, tunebench, waitForOutput } from './fixtures/built.js';
import { isAlive, waitUntil } from './fixtures/cluster.js';

describe('tunebench serve', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });

  it('serves the cluster at the printed address until Ctrl-C, then stops it cleanly', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-serve-'));
    dirs.push(dataDir);
    const { child, finished } = spawnNode(['bin/tunebench.js', 'serve', '--workers', '1'], { TUNEBENCH_DATA_DIR: dataDir });
    const printed = await waitForOutput(child, 'stdout', /http:\/\/127\.0\.0\.1:\d+\n/);
    const address = printed.trim();
    const health = await fetch(`${address}/health`);
    expect(await health.json()).toMatchObject({ ok: true, slot: 0 });
    const workerPid = ((await (await fetch(`${address}/health`)).json()) as { pid: number }).pid;

    child.kill('SIGINT');
    const result = await finished;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Serving 1 test-server workers/);
    expect(result.stderr).toMatch(/worker 0 .* exited with code 0: shutdown/);
    await waitUntil(() => !isAlive(workerPid), 'the worker has exited', 2_000);
  });

  it('refuses bad options with a message naming them', async () => {
    const result = await tunebench(['serve', '--workers', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--workers must be a whole number, got "many"/);
    const tooMany = await tunebench(['serve', '--workers', '100']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/settings\.workers/);
  });
});
