import { describe, expect, it } from 'vitest';
import {
  checkChromium,
  checkDataDir,
  checkDisk,
  checkEmbeddedStart,
  checkLoad,
  checkPostgresAccess,
  checkSubjectNode,
  checkWorkbenchNode,
  compareVersions,
  doctorReport,
  embeddedFix,
} from '../src/main/engine/doctor.js';
import { formatDoctorReport } from '../src/main/cli-doctor.js';

const GB = 1024 ** 3;

describe('doctor checks (pure: facts in, verdict and fix out)', () => {
  it.each([
    ['v20.19.0', '20.19.0', 0],
    ['20.20.2', '20.19.0', 1],
    ['v18.20.4', '20.19.0', -1],
    ['22.0.0-pre', '20.19.0', 1],
  ])('compareVersions(%s, %s) has the sign of %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it.each([
    ['20.20.2', undefined, 'ok'],
    ['20.19.0', undefined, 'ok'],
    ['20.18.3', undefined, 'fail'],
    ['22.12.0', '40.1.0', 'ok'],
  ] as const)('Node.js %s (Electron %s) for Tunebench → %s', (version, electron, status) => {
    const check = checkWorkbenchNode(version, electron);
    expect(check.status).toBe(status);
    if (status === 'fail') expect(check.fix).toMatch(/install Node.js 20.19.0 or later/);
  });

  it.each([
    [{ runtime: { command: '/usr/bin/node', source: 'path' as const }, version: 'v22.1.0' }, 'ok', /\/usr\/bin\/node \(node on PATH\) is v22.1.0/],
    [{ runtime: { command: '/opt/node16', source: 'setting' as const }, version: 'v16.20.0' }, 'fail', /older than 20.19.0/],
    [{ runtime: { command: '/bin/false', source: 'setting' as const }, error: 'Command failed' }, 'fail', /does not run: Command failed/],
    [{ error: 'No Node.js found for subject processes' }, 'fail', /No Node.js found/],
  ])('subject runtime %j → %s', (facts, status, detail) => {
    const check = checkSubjectNode(facts);
    expect(check.status).toBe(status);
    expect(check.detail).toMatch(detail);
    if (status === 'fail') expect(check.fix).toMatch(/--node <path>/);
  });

  it('data directory: writable, or what to do', () => {
    expect(checkDataDir({ dataDir: '/d' }).status).toBe('ok');
    const failed = checkDataDir({ dataDir: '/d', error: 'EACCES: permission denied' });
    expect(failed).toMatchObject({ status: 'fail', detail: '/d is not writable: EACCES: permission denied' });
    expect(failed.fix).toMatch(/TUNEBENCH_DATA_DIR/);
  });

  it.each([
    [{ asRoot: false, baseDir: '/home/me/.tunebench/postgres' }, 'ok', /runs as you, in \/home\/me\/.tunebench\/postgres\/data/],
    [{ asRoot: true, baseDir: '/srv/tb/postgres', clusterDir: '/srv/tb/postgres/data' }, 'ok', /can reach \/srv\/tb\/postgres\/data/],
    [
      { asRoot: true, baseDir: '/root/.tunebench/postgres', note: 'kept in /var/lib/tunebench/ab: the "postgres" system user cannot enter /root' },
      'ok',
      /the cluster is kept in \/var\/lib\/tunebench\/ab: the "postgres" system user cannot enter \/root/,
    ],
    [{ asRoot: true, baseDir: '/root/.tunebench/postgres', blocker: '/root' }, 'ok', /cannot enter \/root; the cluster is kept in a folder Tunebench owns/],
    [
      { asRoot: true, baseDir: '/root/.tunebench/postgres', startError: 'Embedded PostgreSQL failed: the "postgres" system user cannot enter /root ...' },
      'fail',
      /cannot enter \/root/,
    ],
  ])('PostgreSQL data folder %j → %s', (facts, status, detail) => {
    const check = checkPostgresAccess(facts);
    expect(check.status).toBe(status);
    expect(check.detail).toMatch(detail);
  });

  it('embedded server: where it answers, or a fix that fits the reason', () => {
    expect(checkEmbeddedStart({ version: '18.4', port: 5555, clusterDir: '/c', startMs: 812.4 }).detail).toBe(
      'PostgreSQL 18.4 answers on 127.0.0.1:5555 (ready in 812 ms); cluster in /c',
    );
    expect(checkEmbeddedStart({ error: 'x' }).status).toBe('fail');
    expect(embeddedFix('the cluster in /c is in use by another Tunebench process (pid 4)')).toMatch(/quit the other Tunebench/);
    expect(embeddedFix('the "postgres" system user cannot enter /root')).toMatch(/TUNEBENCH_DATA_DIR/);
    expect(embeddedFix('it did not become ready within 60000 ms')).toMatch(/too busy/);
    expect(embeddedFix('something else')).toMatch(/remove <data directory>\/postgres/);
  });

  it.each([
    [undefined, 'skip'],
    [0.2 * GB, 'fail'],
    [1 * GB, 'warn'],
    [50 * GB, 'ok'],
  ] as const)('%s bytes free → %s', (freeBytes, status) => {
    expect(checkDisk({ dataDir: '/d', ...(freeBytes === undefined ? {} : { freeBytes }) }).status).toBe(status);
  });

  it.each([
    [0.3, 2, 'linux', 'ok'],
    [1.0, 2, 'linux', 'ok'],
    [1.2, 2, 'linux', 'warn'],
    [4.9, 2, 'darwin', 'warn'],
    [0, 8, 'win32', 'skip'],
  ] as const)('load %s on %i cores (%s) → %s', (load1, cores, platform, status) => {
    const check = checkLoad({ load1, cores, platform });
    expect(check.status).toBe(status);
    if (status === 'warn') expect(check.fix).toMatch(/close other busy programs/);
  });

  it.each([
    [{ relevant: false, candidate: '/usr/bin/chromium', found: false }, 'skip'],
    [{ relevant: true, candidate: '/usr/bin/chromium', found: true }, 'ok'],
    [{ relevant: true, candidate: '/usr/bin/chromium', found: false }, 'warn'],
  ])('Chromium %j → %s', (facts, status) => {
    expect(checkChromium(facts).status).toBe(status);
  });

  it('the report fails when one check fails, not for warnings; the CLI prints one line per check with its mark and fix', () => {
    const ok = checkDataDir({ dataDir: '/d' });
    const warn = checkLoad({ load1: 9, cores: 2, platform: 'linux' });
    const fail = checkDataDir({ dataDir: '/x', error: 'EROFS' });
    expect(doctorReport([ok, warn]).ok).toBe(true);
    const report = doctorReport([ok, warn, fail], new Date('2026-01-01T00:00:00Z'));
    expect(report.ok).toBe(false);
    const lines = formatDoctorReport(report).trimEnd().split('\n');
    expect(lines[0]).toBe('✓ Data directory: /d is writable');
    expect(lines[1]).toMatch(/^! Other load on the machine: load average 9.00 .* → close other busy programs/);
    expect(lines[2]).toMatch(/^✗ Data directory: \/x is not writable: EROFS → choose a folder you can write/);
    expect(lines.at(-1)).toBe('1 check failed');
  });
});
