import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { workersDir } from './runtime-helpers.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a memory sandbox exits by itself when its parent dies (no orphans)', async () => {
  const parent = spawn(process.execPath, [path.resolve('test/fixtures/sandbox-parent.mjs'), path.join(workersDir, 'memory-sandbox.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const sandboxPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
      parent.once('exit', () => reject(new Error('parent exited early')));
    });
    expect(alive(sandboxPid)).toBe(true);
    parent.kill('SIGKILL');
    const until = Date.now() + 5_000;
    while (alive(sandboxPid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const orphaned = alive(sandboxPid);
    if (orphaned) process.kill(sandboxPid, 'SIGKILL');
    expect(orphaned).toBe(false);
  } finally {
    parent.kill('SIGKILL');
  }
});
