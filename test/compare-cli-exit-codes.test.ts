import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main/cli.js';
import { SeededRandom } from '../src/shared/random.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { tinyRunRecord } from './fixtures/run-record.js';

/** A run whose 300 jobs took `base` ms plus up to `spread` ms each. */
function runWithJobTimes(id: string, base: number, spread: number, seed: number): RunRecord {
  const random = new SeededRandom(seed);
  const values = Array.from({ length: 300 }, () => base + spread * random.next());
  return { ...tinyRunRecord(id), distributions: { runMs: { unit: 'ms', label: 'Run time', observed: values.length, values } } };
}

let dir: string;
const file = (name: string) => path.join(dir, name);

/** `tunebench compare …` in this process: the real option parsing, a fake io. */
async function compare(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['compare', ...args], {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-compare-cli-'));
  await fs.writeFile(file('baseline.json'), JSON.stringify(runWithJobTimes('base', 10, 2, 1)));
  await fs.writeFile(file('same.json'), JSON.stringify(runWithJobTimes('same', 10, 2, 2)));
  await fs.writeFile(file('slower.json'), JSON.stringify(runWithJobTimes('slow', 15, 3, 3)));
  await fs.writeFile(file('broken.json'), '{"format": 1, "id": "x", "kind": "pool", "summary": ');
  await fs.writeFile(file('foreign.json'), JSON.stringify({ name: 'my-package', version: '1.0.0' }));
  await fs.writeFile(file('bad-record.json'), JSON.stringify({ ...tinyRunRecord('bad'), status: 'exploded' }));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('tunebench compare exit codes', () => {
  it('exits 1 when a metric is significantly worse by more than --fail-on-regression', async () => {
    const result = await compare(file('baseline.json'), file('slower.json'), '--fail-on-regression', '10', '--single-run-ok');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('REGRESSION');
    expect(result.stdout).toMatch(/runMs\.p50: \+\d+/);
    expect(result.stdout).toContain('Metric');
  });

  it('exits 0 when the regression is smaller than the allowed percentage', async () => {
    expect((await compare(file('baseline.json'), file('slower.json'), '--fail-on-regression', '90', '--single-run-ok')).code).toBe(0);
  });

  it('does not fail on one run per side unless --single-run-ok, and says why', async () => {
    const result = await compare(file('baseline.json'), file('slower.json'), '--fail-on-regression', '10');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Verdicts: indicative (one run per side: within-run noise only).');
    expect(result.stdout).toContain('No metric was gated: with one run per side every verdict is indicative');
    expect(result.stdout).toMatch(/Not failing on \d+ metric\(s\) that look worse by more than 10% on one run per side/);
    expect(result.stdout).toMatch(/runMs\.p50: \+\d+/);
    expect(result.stdout).toContain('pass --single-run-ok to fail on single runs');
    expect(result.stdout).toContain('WORSE (indicative)');
    expect(result.stdout).toContain('Intervals of every metric: block bootstrap of the per-item values in time order');
  });

  it('exits 0 without --fail-on-regression, and for two samples of the same distribution', async () => {
    expect((await compare(file('baseline.json'), file('slower.json'))).code).toBe(0);
    const same = await compare(file('baseline.json'), file('same.json'), '--fail-on-regression', '3');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No metric was gated: with one run per side every verdict is indicative');
    expect(same.stdout).toContain('None of them is worse by more than 3% either.');
  });

  it('gates only the metrics named in --metrics', async () => {
    expect((await compare(file('baseline.json'), file('slower.json'), '--fail-on-regression', '10', '--metrics', 'throughput')).code).toBe(0);
    expect((await compare(file('baseline.json'), file('slower.json'), '--fail-on-regression', '10', '--metrics', 'runMs.p90', '--single-run-ok')).code).toBe(1);
  });

  it('exits 2 on bad input, naming the problem', async () => {
    const cases: Array<[string[], string]> = [
      [[file('baseline.json')], 'expected two files'],
      [[file('baseline.json'), file('missing.json')], 'no such file'],
      [[file('baseline.json'), file('broken.json')], 'not valid JSON'],
      [[file('foreign.json'), file('baseline.json')], 'not a Tunebench report or run record'],
      [[file('baseline.json'), file('bad-record.json')], 'status'],
      [[file('baseline.json'), file('slower.json'), '--fail-on-regression', 'lots'], '--fail-on-regression must be a number'],
      [[file('baseline.json'), file('slower.json'), '--metrics', 'nonsense'], 'no metric "nonsense"'],
    ];
    for (const [args, message] of cases) {
      const result = await compare(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
  });

  it('prints the comparison as JSON with --json', async () => {
    const result = await compare(file('baseline.json'), file('slower.json'), '--json', '--fail-on-regression', '10', '--single-run-ok');
    const parsed = JSON.parse(result.stdout) as { comparison: { rows: unknown[]; indicative: boolean }; regressions: string[] };
    expect(parsed.regressions).toContain('runMs.mean');
    expect(parsed.comparison.indicative).toBe(true);
    const notFailing = JSON.parse((await compare(file('baseline.json'), file('slower.json'), '--json', '--fail-on-regression', '10')).stdout);
    expect(notFailing.regressions).toEqual([]);
    expect(notFailing.gate.indicativeNotFailing).toContain('runMs.mean');
    expect(parsed.comparison.rows.length).toBeGreaterThan(4);
  });
});
