import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NoiseVerdictSchema } from '../src/shared/noise.js';
import { tunebench } from './fixtures/built.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-noise-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

it('tunebench run says how quiet the machine was, and tunebench runs carries the verdict', async () => {
  const specFile = path.join(dir, 'spin.json');
  await fs.writeFile(specFile, JSON.stringify({ kind: 'pool', task: { name: 'spin', params: { ms: 10 } }, pool: { threads: 1 }, jobs: 120 }));
  const out = path.join(dir, 'out');
  const result = await tunebench(['run', specFile, '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  // One line, whatever the machine did meanwhile (other tests share it).
  const expected =
    process.platform === 'linux'
      ? /^machine: (quiet|busy) \(others used \d+(\.\d+)? cores(, over the 0\.25 threshold)?; worst second [\d.]+, steal [\d.]+%, load [\d.]+(, CPU pressure [\d.]+%)?\)$/m
      : /^machine: unknown: /m;
  expect(result.stdout).toMatch(expected);

  const listed = await tunebench(['runs', '--json'], { TUNEBENCH_DATA_DIR: out });
  expect(listed.code, listed.stderr).toBe(0);
  const [run] = JSON.parse(listed.stdout) as Array<{ noise?: unknown }>;
  expect(NoiseVerdictSchema.parse(run!.noise).verdict).toMatch(/^(quiet|busy|unknown)$/);
});
