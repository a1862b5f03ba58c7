import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedServer } from '../src/main/engine/postgres/embedded-server.js';
import { parsePidFile } from '../src/main/engine/postgres/postmaster.js';
import type { Engine } from '../src/main/engine/engine.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { startTestEngine } from './fixtures/embedded-db.js';
import { waitUntil } from './fixtures/cluster.js';
import { processTree } from './fixtures/processes.js';
import { isProcessRunning } from '../src/main/engine/processes/process-info.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  started = await startTestEngine('db-restart');
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await started?.dispose();
});

/** Resolves once the run's frames show queries flowing. */
function queriesFlow(engine: Engine, runId: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const dispose = engine.onStream((stream, payload) => {
      const frame = payload as { runId: string; summary: { queries?: { value: number } } };
      if (stream === 'run.frame' && frame.runId === runId && frame.summary.queries?.value) {
        dispose();
        resolve();
      }
    });
  });
}

const eventsOf = (record: RunRecord | undefined, type: string) => record?.events.filter((event) => event.type === type) ?? [];

describe('the database goes away during a run', () => {
  it('a restart of the embedded server is ridden out: queries fail and are counted, the pool reconnects, the run completes and says what happened', async () => {
    const { engine } = started;
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 200 }, concurrency: 4, durationSec: 6, pool: { max: 4 } },
    });
    const done = engine.runs.wait(runId);
    await queriesFlow(engine, runId);
    await engine.db.embedded.restart();
    const record = await done;

    expect(record?.status, JSON.stringify(record?.error)).toBe('completed');
    expect(record?.summary.errors?.value).toBeGreaterThan(0);
    const [lost] = eventsOf(record, 'db-lost');
    const [back] = eventsOf(record, 'db-back');
    expect(lost?.message).toMatch(/database connection lost: .+; retrying for up to 10 s/);
    expect(back?.message).toMatch(/database back after [\d.]+ s; \d+ operations? failed meanwhile/);
    const outages = record?.tables?.outages;
    expect(outages?.rows).toHaveLength(1);
    expect(outages?.rows[0]?.[1]).not.toBe('not back');
    // Queries flowed again after the server came back.
    const throughput = record!.series.throughput!;
    const after = throughput.t.filter((at, index) => at > back!.t && throughput.v[index]! > 0);
    expect(after.length).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  });

  it('a server killed with kill -9 that does not come back: the run fails with what it measured and why; the next run restarts the embedded server', async () => {
    const { engine } = started;
    const clusterDir = engine.db.embeddedStatus().dataDir;
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 200 }, concurrency: 4, durationSec: 60, pool: { max: 4 } },
    });
    const done = engine.runs.wait(runId);
    await queriesFlow(engine, runId);
    const postmaster = parsePidFile(await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8'))!.pid;
    const backends = processTree(postmaster);
    process.kill(postmaster, 'SIGKILL');
    const record = await done;

    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('TB_DB_LOST');
    expect(record?.error?.message).toMatch(/connection was lost during the run: .+; the server did not come back within 10 s/);
    expect(record?.summary.queries?.value).toBeGreaterThan(0);
    expect(record?.summary.errors?.value).toBeGreaterThan(0);
    expect(record?.tables?.queryStats?.rows.length).toBeGreaterThan(0);
    expect(record?.tables?.outages?.rows[0]?.[1]).toBe('not back');
    expect(record?.tables?.outages?.rows[0]?.[3]).toBeGreaterThan(0);
    expect(eventsOf(record, 'db-lost').map((event) => event.message)).toContainEqual(expect.stringMatching(/gave up on the database/));
    // Its backends followed the postmaster; the engine knows the server is gone and why.
    await waitUntil(() => backends.every((pid) => !isProcessRunning(pid)), 'the killed server\'s processes are gone');
    const status = engine.db.embeddedStatus();
    expect(status.state).toBe('stopped');
    expect(status.error).toMatch(/ended unexpectedly \(the postmaster was killed by SIGKILL\); it starts again when next used/);

    // A stale postmaster.pid is left behind; the next run starts the server again all the same.
    const next = await engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 200 }, operations: 20, concurrency: 2 },
    });
    const nextRecord = await engine.runs.wait(next.runId);
    expect(nextRecord?.status, JSON.stringify(nextRecord?.error)).toBe('completed');
    expect(engine.db.embeddedStatus().state).toBe('running');
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('your own server (a saved profile) restarted mid-run is ridden out the same way', async () => {
    const { engine } = started;
    const baseDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-users-server-'));
    const theirs = new EmbeddedServer({ baseDir });
    try {
      const connection = await theirs.start();
      await engine.call('db.profiles.save', {
        profile: {
          id: 'theirs',
          name: 'their server',
          url: `postgres://${connection.user}@127.0.0.1:${connection.port}/${connection.database}?sslmode=disable`,
          password: connection.password,
        },
      });
      const { runId } = await engine.call('runs.start', {
        spec: { kind: 'db', target: 'theirs', workload: { type: 'pointSelect', rows: 200 }, concurrency: 4, durationSec: 6, pool: { max: 4 } },
      });
      const done = engine.runs.wait(runId);
      await queriesFlow(engine, runId);
      await theirs.restart();
      const record = await done;
      expect(record?.status, JSON.stringify(record?.error)).toBe('completed');
      expect(record?.summary.errors?.value).toBeGreaterThan(0);
      expect(eventsOf(record, 'db-back')).toHaveLength(1);
    } finally {
      await theirs.dispose();
      await fs.rm(baseDir, { recursive: true, force: true });
    }
  });

  it('survives the server stopping while idle clients sit in a pool', async () => {
    const { InstrumentedPool } = await import('../src/main/engine/kinds/db/instrumented-pool.js');
    const { DbPoolSettingsSchema } = await import('../src/shared/specs/db.js');
    const target = await started.engine.db.resolve('embedded');
    const poolErrors: Error[] = [];
    const pool = new InstrumentedPool({
      target,
      settings: DbPoolSettingsSchema.parse({ max: 3, idleTimeoutMillis: 60_000 }),
      slowQueryMs: 1_000,
      onPoolError: (error) => poolErrors.push(error),
    });
    await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
    expect(pool.gauges().idle).toBe(3);
    await started.engine.db.embedded.restart();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(poolErrors.length).toBeGreaterThan(0);
    // Broken idle clients were dropped; the pool connects afresh.
    await expect(pool.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    await pool.end();
    expect(unhandled).toEqual([]);
  });
});
