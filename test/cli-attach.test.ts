import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { spawnNode, tunebench, waitForOutput } from './fixtures/built.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-attach-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('tunebench attach', () => {
  const start = foreignProcesses();
  const env = () => ({ TUNEBENCH_DATA_DIR: dataDir });

  it('lists a Node.js process started elsewhere, takes a CPU profile of it into --out, and detaches', async () => {
    const subject = await start(process.execPath, ['-e', 'function busyHere() { const end = Date.now() + 5; while (Date.now() < end); } setInterval(busyHere, 10)']);
    const list = await tunebench(['attach', 'list'], env());
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${subject.pid} +\\S+ +closed +${process.version.replace(/\./g, '\\.')} +yes +node -e function busyHere`, 'm'));

    const out = path.join(dataDir, 'subject.cpuprofile');
    const profiled = await tunebench(['attach', String(subject.pid), '--cpu-profile', '1', '--out', out], env());
    expect(profiled.code, profiled.stderr).toBe(0);
    expect(profiled.stdout).toMatch(/^CPU profile: [\d,.]+ ms sampled in [\d,]+ samples$/m);
    // The busy JavaScript shows with where it runs (V8 may inline busyHere into the timer that calls it).
    expect(profiled.stdout).toMatch(/^SELF +SHARE +FUNCTION +WHERE$/m);
    expect(profiled.stdout).toMatch(/^[\d.,]+ ms +[\d.]+ % +(busyHere|listOnTimeout) +(\[eval\]|node:internal\/timers):\d+$/m);
    expect(profiled.stdout).toContain(`Saved: ${out}`);
    expect(JSON.parse(await fs.readFile(out, 'utf8')).nodes.length).toBeGreaterThan(0);
    expect(profiled.stderr).toContain(`Detached: pid ${subject.pid} still running, inspector closed again`);
    expect(subject.alive()).toBe(true);
    expect(processListeners(subject.pid)).toEqual([]);
  });

  it('detaches when stopped with Ctrl-C mid-profile: exit 130, the process running, its inspector closed', async () => {
    const subject = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const { child, finished } = spawnNode(['bin/tunebench.js', 'attach', String(subject.pid), '--cpu-profile', '60'], env());
    await waitForOutput(child, 'stderr', /Attached to pid \d+/);
    child.kill('SIGINT');
    const result = await finished;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain(`Stopped: detached from pid ${subject.pid}, nothing taken`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subject.alive()).toBe(true);
    expect(processListeners(subject.pid)).toEqual([]);
  });

  it.each([
    [['attach'], /missing list or <pid>/],
    [['attach', '1234'], /say what to take: --cpu-profile <seconds>, --allocation-profile <seconds>, --heap-snapshot/],
    [['attach', '1234', '--heap-snapshot', '--cpu-profile', '1'], /take one thing per call/],
    [['attach', '1234', '--cpu-profile', 'soon'], /--cpu-profile takes a number of seconds from 0\.1 to 300; got "soon"/],
    [['attach', 'abc', '--heap-snapshot'], /<pid> must be a process id \(a whole number from 1 to \d+\); got "abc"/],
    [['attach', '1', '--heap-snapshot'], /pid 1 is not a running Node\.js process/],
  ])('tunebench %j is refused with exit 2 and says why', async (args, message) => {
    const result = await tunebench(args, env());
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: tunebench attach list');
  });
});
