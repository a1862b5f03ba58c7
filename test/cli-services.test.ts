import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo, CliOutput } from '../src/main/cli.js';
import { workersDir } from './fixtures/pools.js';
import { exampleOnPort, exampleServices, fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

function capture(): CliOutput & { text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

async function cli(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/main/cli.js');
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdout, stderr, env: { TUNEBENCH_DATA_DIR: dataDir }, workersDir };
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('tunebench services and run --services', () => {
  const dirs = serviceEngines();

  it('lists the services of the file named, checks one (ready, processes, graceful stop, last lines) and runs a spec against it', async () => {
    const dir = await dirs.tempDir();
    const dataDir = path.join(dir, 'data');
    const file = await exampleOnPort(exampleServices.cpuPool, 3971, dir);

    const none = await cli(['services', 'list'], dataDir);
    expect(none).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No services are defined/) });
    const list = await cli(['services', 'list', '--services', file], dataDir);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/cpu-pool\s+http:\/\/127\.0\.0\.1:3971\s+node server\.mjs\s+threads \(integer 1–16, env POOL_THREADS\); processes/);
    expect(list.stdout).toContain(`--services ${file}`);

    const check = await cli(['services', 'check', 'cpu-pool', '--services', file, '--knob', 'threads=3'], dataDir);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^Service cpu-pool: \S+node server\.mjs\n/);
    expect(check.stdout).toContain('ready when a line matching /^cpu-pool listening/ within 20 s');
    expect(check.stdout).toMatch(/ready after \d+\.\d\d s/);
    expect(check.stdout).toMatch(/process \(probed\): pid \d+ \(heap \d+\.\d MB\)/);
    expect(check.stdout).toMatch(/stopped after SIGTERM in \d+\.\d\d s/);
    expect(check.stdout).toContain('cpu-pool listening on http://127.0.0.1:3971 (3 threads)');
    expect(check.stdout).toMatch(/✓ cpu-pool starts, gets ready and stops cleanly\n$/);

    const badKnob = await cli(['services', 'check', 'cpu-pool', '--services', file, '--knob', 'threads=99'], dataDir);
    expect(badKnob.code).toBe(2);
    expect(badKnob.stderr).toContain('Service "cpu-pool" knob "threads" must be an integer from 1 to 16, got 99');

    const spec = path.join(dir, 'run.json');
    await fs.writeFile(
      spec,
      JSON.stringify({
        kind: 'load',
        target: { type: 'service', service: 'cpu-pool', knobs: { threads: 2 } },
        load: { connections: 2, durationSec: 1, warmupSec: 0.2, mix: [{ path: '/work?n=20' }] },
      }),
    );
    const run = await cli(['run', spec, '--services', file], dataDir);
    expect(run.stderr).toMatch(/^Running load experiment as \S+\n/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Run \S+ \(closed loop 2 connections · cpu-pool threads=2 · 1 s\) completed/);
  }, 60_000);

  it('a check of a service that fails says why and exits 1', async () => {
    const dir = await dirs.tempDir();
    const file = await writeServicesFile(dir, [fixtureService('never', 'never-ready.mjs', 3972, { ready: { type: 'http', path: '/health', timeoutSec: 0.8 } })]);
    const check = await cli(['services', 'check', 'never', '--services', file], path.join(dir, 'data'));
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('never-ready: booting');
    expect(check.stdout).toMatch(/✗ never: Service "never" was not ready within 0\.8 s: GET \/health did not answer 2xx/);
  });
});
