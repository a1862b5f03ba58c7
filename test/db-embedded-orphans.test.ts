import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../src/main/engine/postgres/connection.js';
import pg from 'pg';
import { DbService } from '../src/main/engine/postgres/db-service.js';
import { EmbeddedServer } from '../src/main/engine/postgres/embedded-server.js';
import { parsePidFile } from '../src/main/engine/postgres/postmaster.js';
import { isProcessRunning } from '../src/main/engine/processes/process-info.js';
import { spawnNode } from './fixtures/built.js';
import { waitUntil } from './fixtures/cluster.js';
import { processesNaming, processTree } from './fixtures/processes.js';

// A real workbench (the built CLI) runs a db experiment on the embedded server and is killed with SIGKILL.
const dirs: string[] = [];
const started: Array<ReturnType<typeof spawnNode>['child']> = [];

afterEach(async () => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) {
    for (const pid of processesNaming(dir)) process.kill(pid, 'SIGKILL');
    await fs.rm(dir, { recursive: true, force: true });
  }
});

async function workbenchWithServer() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-db-orphans-'));
  dirs.push(dataDir);
  const specFile = path.join(dataDir, 'spec.json');
  await fs.writeFile(
    specFile,
    JSON.stringify({ kind: 'db', workload: { type: 'pointSelect', rows: 200 }, concurrency: 2, durationSec: 120, pool: { max: 2 } }),
  );
  const { child } = spawnNode(['bin/tunebench.js', 'run', specFile], { TUNEBENCH_DATA_DIR: dataDir });
  started.push(child);
  const clusterDir = path.join(dataDir, 'postgres', 'data');
  const owner = path.join(dataDir, 'postgres', 'postmaster.owner');
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitUntil(() => exited || existsSync(owner), 'the embedded server runs', 60_000);
  expect(exited, 'the CLI exited before its server ran').toBe(false);
  const postmaster = parsePidFile(await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8'))!.pid;
  // Queries flow once the pool has its backends (the postmaster's own workers are there from the start).
  await waitUntil(() => processTree(postmaster).length >= 8, 'the run has its connections', 30_000);
  return { child, dataDir, clusterDir, postmaster };
}

describe('the embedded server never outlives its workbench', () => {
  it('kill -9 of the workbench: the server, its backends and its watchdog are gone within 5 s; the next start works', async () => {
    const { child, dataDir, clusterDir, postmaster } = await workbenchWithServer();
    const watchdogs = processesNaming(clusterDir).filter((pid) => pid !== postmaster);
    expect(watchdogs.length).toBeGreaterThan(0);
    const everything = [...new Set([...processTree(postmaster), ...watchdogs.flatMap((pid) => processTree(pid))])];

    // While that workbench lives, another one on the same data directory is refused, naming who holds it.
    const second = new DbService({ dataDir, env: {} });
    await expect(second.resolve('embedded')).rejects.toThrow(new RegExp(`in use by another Tunebench process \\(pid ${child.pid}`));
    await second.dispose();
    expect(isProcessRunning(postmaster)).toBe(true);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await waitUntil(
      () => everything.every((pid) => !isProcessRunning(pid)) && processesNaming(clusterDir).length === 0,
      'every process of the embedded server has exited',
      10_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(5_000);

    const next = new DbService({ dataDir, env: {} });
    try {
      const client = await connectClient(await next.resolve('embedded'), 10_000);
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await client.end();
    } finally {
      await next.dispose();
    }
    expect(processesNaming(clusterDir)).toEqual([]);
  });

  it('a server left running by a workbench killed together with its watchdog is stopped cleanly by the next start', async () => {
    const { child, dataDir, clusterDir, postmaster } = await workbenchWithServer();
    // Take the watchdog away first (its shell and its reader), then the workbench: nothing is left to stop the server.
    for (const pid of processesNaming('tunebench-postgres-watchdog').filter((pid) => processesNaming(clusterDir).includes(pid))) {
      process.kill(pid, 'SIGKILL');
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(isProcessRunning(postmaster), 'the server was left running').toBe(true);

    const log: string[] = [];
    const next = new EmbeddedServer({ baseDir: path.join(dataDir, 'postgres'), onLog: (line) => log.push(line) });
    try {
      const connection = await next.start();
      const client = new pg.Client(connection);
      await client.connect();
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await client.end();
      expect(isProcessRunning(postmaster)).toBe(false);
      const now = parsePidFile(await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8'))!;
      expect(now.pid).not.toBe(postmaster);
      expect(log.join('\n')).toContain(`stopping a PostgreSQL server (pid ${postmaster}) left running`);
      // Stopped cleanly, not killed: the new server found a shut-down cluster and needed no crash recovery.
      expect(log.join('\n')).toMatch(/database system was shut down at/);
      expect(log.join('\n')).not.toMatch(/not properly shut down|interrupted/);
    } finally {
      await next.dispose();
    }
    expect(processesNaming(clusterDir)).toEqual([]);
  });
});
