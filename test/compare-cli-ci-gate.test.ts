import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportFileSchema } from '../src/shared/studies.js';
import { tunebench } from './fixtures/built.js';
import { spinSpec } from './fixtures/experiments.js';

let dir: string;
const env = () => ({ TUNEBENCH_DATA_DIR: path.join(dir, 'data') });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-ci-gate-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The README's CI recipe, end to end with the built CLI: sweep main and branch with repeats, compare, gate. */
describe('tunebench sweep + compare as a CI gate', () => {
  it('saves repeat sweeps as JSON reports, gates on them with exit codes, and exports reports by id', async () => {
    // The branch's task got four times slower: what a CI gate exists to catch.
    const sweepOf = async (name: string, taskMs: number) => {
      const file = path.join(dir, `${name}.sweep.json`);
      const base = { ...spinSpec(1, 40), task: { name: 'spin', params: { ms: taskMs } } };
      await fs.writeFile(file, JSON.stringify({ kind: 'sweep', base, repeats: 3, warmup: 0 }));
      const out = path.join(dir, `${name}.json`);
      const result = await tunebench(['sweep', file, '--out', out], env());
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('run 3 of 3');
      return out;
    };
    const main = await sweepOf('main', 3);
    const branch = await sweepOf('branch', 12);
    const report = ReportFileSchema.parse(JSON.parse(await fs.readFile(main, 'utf8')));
    expect(report.type).toBe('sweep');

    // --allow-noisy: other tests share this machine; the busy-machine gate has its own test.
    const gated = await tunebench(['compare', main, branch, '--fail-on-regression', '10', '--metrics', 'throughput', '--allow-noisy'], env());
    expect(gated.code, gated.stdout + gated.stderr).toBe(1);
    expect(gated.stdout).toMatch(/Throughput.* \(throughput\).*per-repeat \(n=3\/3\)\s+WORSE/);
    expect(gated.stdout).toContain('REGRESSION: 1 metric(s)');

    expect((await tunebench(['compare', main, main, '--fail-on-regression', '10', '--allow-noisy'], env())).code).toBe(0);
    const bad = await tunebench(['compare', main, path.join(dir, 'nothing.json')], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no such file');

    if (report.type !== 'sweep') return;
    const html = path.join(dir, 'sweep.html');
    const exported = await tunebench(['report', report.sweep.id, '--format', 'html', '--out', html], env());
    expect(exported.code, exported.stderr).toBe(0);
    const page = await fs.readFile(html, 'utf8');
    expect(page).toContain('A single setting, repeated 3 times');
    expect(page).toContain(report.sweep.id);
    const md = await tunebench(['report', report.runs[0]!.id, '--format', 'md'], env());
    expect(md.stdout).toContain(`| Id | ${report.runs[0]!.id} |`);
    const unknown = await tunebench(['report', 'no-such-run', '--format', 'md'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Run "no-such-run" not found');
    expect((await tunebench(['report', report.sweep.id, '--format', 'pdf'], env())).code).toBe(2);
  });

  it('prints the spec JSON Schema for editors', async () => {
    const result = await tunebench(['schema'], env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).title).toBe('Tunebench experiment or sweep spec');
  });
});
