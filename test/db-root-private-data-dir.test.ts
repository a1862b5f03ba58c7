import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { POINTER_FILE } from '../src/main/engine/postgres/cluster-location.js';
import { tunebench } from './fixtures/built.js';
import { processesNaming } from './fixtures/processes.js';

// As root PostgreSQL runs as the "postgres" system user, which cannot enter a folder of mode 700 owned by root
// (the default data directory ~/.tunebench under /root). Only root can set this up, so it runs only as root.
const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('db-root-private-data-dir: runs only as root (PostgreSQL then runs as the "postgres" system user); skipped');

let outer: string | undefined;
let clusterDir: string | undefined;

afterAll(async () => {
  if (clusterDir) {
    for (const pid of processesNaming(clusterDir)) process.kill(pid, 'SIGKILL');
    await fs.rm(clusterDir, { recursive: true, force: true });
    await fs.rm(`${clusterDir}.from`, { force: true });
  }
  if (outer) await fs.rm(outer, { recursive: true, force: true });
});

describe.skipIf(!asRoot)('root with a data directory inside a folder of mode 700', () => {
  it('runs the db example spec, keeps the cluster where the "postgres" user can reach it, and doctor says where', async () => {
    outer = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-private-home-'));
    await fs.chmod(outer, 0o700);
    const dataDir = path.join(outer, '.tunebench');
    const spec = path.join(outer, 'db.json');
    const example = await tunebench(['spec', '--example', 'db']);
    await fs.writeFile(spec, JSON.stringify({ ...JSON.parse(example.stdout), durationSec: 2 }));

    const run = await tunebench(['run', spec], { TUNEBENCH_DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/completed/);

    clusterDir = (await fs.readFile(path.join(dataDir, 'postgres', POINTER_FILE), 'utf8')).trim();
    expect(clusterDir).toMatch(/^\/var\/lib\/tunebench\/[0-9a-f]{16}$|tunebench-postgres\/[0-9a-f]{16}$/);
    // The user's folder was left as it was.
    expect((await fs.stat(outer)).mode & 0o777).toBe(0o700);

    const doctor = await tunebench(['doctor'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`✓ PostgreSQL data folder: the cluster is kept in ${clusterDir}: the "postgres" system user cannot enter ${outer}`);
    expect(doctor.stdout).toMatch(/✓ Embedded PostgreSQL: PostgreSQL 18/);
    // Both commands stopped their server.
    expect(processesNaming(clusterDir)).toEqual([]);
  });
});
