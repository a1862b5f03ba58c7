import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main/cli.js';
import { compareGroups } from '../src/main/engine/studies/compare.js';
import { noiseVerdict } from '../src/shared/noise-verdict.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { tinyRunRecord } from './fixtures/run-record.js';

/** A run whose throughput is `throughput` give or take 1%, measured while others used `othersCores`. */
function run(id: string, throughput: number, othersCores: number): RunRecord {
  return {
    ...tinyRunRecord(id),
    summary: { throughput: { value: throughput * (1 + (id.length % 3) / 100), unit: 'jobs/s', better: 'higher' } },
    noise: noiseVerdict([{ durationMs: 1000, othersCores, stealRatio: null, loadAverage: null, cpuPressure: null }]),
  };
}

const side = (label: string, throughput: number, othersCores: number[]) => ({
  label,
  runs: othersCores.map((cores, i) => run(`${label}-${'x'.repeat(i)}`, throughput, cores)),
});

let dir: string;
/** `tunebench compare …` in this process: the real option parsing, a fake io. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const sink = { write: (chunk: string) => (stdout += chunk) };
  const code = await main(['compare', ...args], { stdout: sink, stderr: sink, env: {} });
  return { code, stdout };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-busy-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('compare on a busy machine', () => {
  it('calls nothing significant and says the comparison is inconclusive, naming who was busy', () => {
    const comparison = compareGroups(side('main', 400, [0.05, 0.04, 0.06]), side('branch', 200, [0.05, 0.7, 0.1]));
    expect(comparison.inconclusive).toBe(
      'inconclusive: the machine was busy (others used 0.7 cores during the candidate (run branch-x; 1 of 3 runs busy); threshold 0.25 cores)',
    );
    expect(comparison.noise?.blocked).toBe(true);
    const throughput = comparison.rows.find((row) => row.metric === 'throughput')!;
    expect(throughput).toMatchObject({ significant: false, verdict: 'inconclusive', basis: 'per-repeat' });
    expect(throughput.relCi!.high).toBeLessThan(-0.4);
  });

  it('judges anyway when allowed, and warns', () => {
    const comparison = compareGroups(side('main', 400, [0.05, 0.04, 0.06]), side('branch', 200, [0.05, 0.7, 0.1]), {}, { allowNoisy: true });
    expect(comparison.inconclusive).toBeUndefined();
    expect(comparison.rows.find((row) => row.metric === 'throughput')).toMatchObject({ significant: true, verdict: 'worse' });
    expect(comparison.warnings.join(' ')).toContain('The machine was busy (others used 0.7 cores during the candidate');
  });

  it('says the machine was quiet when it was', () => {
    const comparison = compareGroups(side('main', 400, [0.05, 0.04]), side('branch', 200, [0.05, 0.1]));
    expect(comparison.inconclusive).toBeUndefined();
    expect(comparison.noise).toEqual({ blocked: false, reason: 'the machine was quiet (others used at most 0.1 cores; threshold 0.25)' });
  });

  it('the CLI gate exits 2 on a busy machine unless --allow-noisy', async () => {
    const quiet = path.join(dir, 'quiet.json');
    const busy = path.join(dir, 'busy.json');
    await fs.writeFile(quiet, JSON.stringify({ ...run('quiet', 400, 0.05), distributions: { runMs: { unit: 'ms', observed: 300, values: Array.from({ length: 300 }, (_, i) => 10 + (i % 7)) } } }));
    await fs.writeFile(busy, JSON.stringify({ ...run('busy', 400, 0.7), distributions: { runMs: { unit: 'ms', observed: 300, values: Array.from({ length: 300 }, (_, i) => 20 + (i % 7)) } } }));
    const gated = await cli(quiet, busy, '--fail-on-regression', '10');
    expect(gated.code).toBe(2);
    expect(gated.stdout).toContain('Machine: inconclusive: the machine was busy (others used 0.7 cores during the candidate; threshold 0.25 cores).');
    expect(gated.stdout).toContain('INCONCLUSIVE: the gate cannot decide, the machine was busy');
    expect(gated.stdout).toContain('pass --allow-noisy to judge anyway');
    expect(gated.stdout).toContain('inconclusive (busy machine)');
    // Allowed: judged as usual (one run per side: indicative, so it still does not fail without --single-run-ok).
    const allowed = await cli(quiet, busy, '--fail-on-regression', '10', '--allow-noisy', '--single-run-ok');
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).toContain('REGRESSION');
    // Without the gate, compare only reports.
    expect((await cli(quiet, busy)).code).toBe(0);
  });
});
