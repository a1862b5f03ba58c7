import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { readNoiseReading } from '../src/main/engine/noise/machine-noise.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

const stat = (pid: number, name: string, ppid: number, ticks: number) =>
  `${pid} (${name}) S ${ppid} 1 1 0 -1 0 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 100 1000 200\n`;

/**
 * A /proc of its own: the workbench (10, two threads) with a supervisor (11)
 * and its server (12); a postmaster (13) with a backend (14); and someone
 * else (20) with a child (21).
 */
async function fakeProc(withChildrenFiles: boolean): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-fake-proc-'));
  dirs.push(root);
  const write = async (file: string, text: string) => {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  };
  await write('stat', 'cpu  1000 0 500 8000 100 0 20 30 0 0\ncpu0 500 0 250 4000 50 0 10 15 0 0\ncpu1 500 0 250 4000 50 0 10 15 0 0\n');
  await write('loadavg', '1.50 1.00 0.50 3/200 999\n');
  await write('pressure/cpu', 'some avg10=12.50 avg60=1.00 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n');
  const processes: Array<[pid: number, name: string, ppid: number, ticks: number, threads: Record<number, number[]>]> = [
    [1, 'init', 0, 5, { 1: [10, 20] }],
    [10, 'node', 1, 300, { 10: [11], 15: [13] }],
    [11, 'node supervisor', 10, 40, { 11: [12] }],
    [12, 'node (server)', 11, 60, { 12: [] }],
    [13, 'postgres', 10, 7, { 13: [14] }],
    [14, 'postgres: tunebench', 13, 9, { 14: [] }],
    [20, 'busy', 1, 900, { 20: [21] }],
    [21, 'busy child', 20, 100, { 21: [] }],
  ];
  for (const [pid, name, ppid, ticks, threads] of processes) {
    await write(`${pid}/stat`, stat(pid, name, ppid, ticks));
    for (const [tid, children] of Object.entries(threads)) {
      await fs.mkdir(path.join(root, `${pid}/task/${tid}`), { recursive: true });
      if (withChildrenFiles) await write(`${pid}/task/${tid}/children`, children.map((child) => `${child} `).join(''));
    }
  }
  return root;
}

test.each([
  { how: "each thread's children file", withChildrenFiles: true, mode: 'children' },
  { how: "every process's parent (a kernel without children files)", withChildrenFiles: false, mode: 'scan' },
])('a reading finds the run tree by $how', async ({ withChildrenFiles, mode: expectedMode }) => {
  const procRoot = await fakeProc(withChildrenFiles);
  const mode = { tree: 'children' as 'children' | 'scan' };
  const reading = await readNoiseReading(procRoot, 10, 1234, mode);
  expect(mode.tree).toBe(expectedMode);
  expect(reading).toBeDefined();
  expect(reading!.t).toBe(1234);
  expect(reading!.cpu).toEqual({ busy: 1550, steal: 30, total: 9650, cpus: 2 });
  expect(reading!.loadAverage).toBe(1.5);
  expect(reading!.cpuPressure).toBeCloseTo(0.125, 10);
  // The workbench, its supervisor and server, the postmaster and its backend: not 20 and 21.
  expect([...reading!.tree.keys()].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14]);
  expect(reading!.tree.get(12)).toEqual({ pid: 12, ppid: 11, ticks: 60 });
});

test('no /proc/stat: no reading', async () => {
  const procRoot = await fakeProc(true);
  await fs.rm(path.join(procRoot, 'stat'));
  expect(await readNoiseReading(procRoot, 10, 0)).toBeUndefined();
});
