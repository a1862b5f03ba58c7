import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoctorReportSchema } from '../src/shared/doctor.js';
import { tunebench } from './fixtures/built.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-doctor-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('tunebench doctor', () => {
  it('prints one line per check with its mark, starts the embedded server, and exits 0 when nothing failed', async () => {
    const result = await tunebench(['doctor'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => /^[✓!✗–] /.test(line));
    expect(lines.map((line) => line.slice(2, line.indexOf(':')))).toEqual([
      'Node.js for Tunebench',
      'Node.js for subjects',
      'Data directory',
      'PostgreSQL data folder',
      'Embedded PostgreSQL',
      'Free disk',
      'Other load on the machine',
      'Chromium for end-to-end tests',
    ]);
    expect(result.stdout).toContain(`✓ Data directory: ${dataDir} is writable`);
    expect(result.stdout).toMatch(/✓ Embedded PostgreSQL: PostgreSQL 18[\d.]* answers on 127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/everything Tunebench needs is there/);
  });

  it('exits 1 and says what to fix when a check fails (a subject runtime that does not run)', async () => {
    const result = await tunebench(['--node', '/bin/false', 'doctor', '--json'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(1);
    const report = DoctorReportSchema.parse(JSON.parse(result.stdout));
    expect(report.ok).toBe(false);
    const subject = report.checks.find((check) => check.id === 'subject-node');
    expect(subject).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^\/bin\/false \(your setting\) does not run/) });
    expect(subject?.fix).toMatch(/--node <path>/);

    const text = await tunebench(['--node', '/bin/false', 'doctor'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^✗ Node\.js for subjects: \/bin\/false \(your setting\) does not run: .* → install Node\.js/m);
    expect(text.stdout).toMatch(/1 check failed\n$/);
  });
});
