import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine } from './fixtures/embedded-db.js';

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

describe('database restart during a run', () => {
  it('ends the run as failed with what it measured and a clear message, without hanging or unhandled rejections', async () => {
    const { engine } = started;
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 200 }, concurrency: 4, durationSec: 60, pool: { max: 4 } },
    });
    const done = engine.runs.wait(runId);
    // Wait until queries flow, then take the server away.
    await new Promise<void>((resolve) => {
      const dispose = engine.onStream((stream, payload) => {
        if (stream === 'run.frame' && (payload as { summary: { queries?: { value: number } } }).summary.queries?.value) {
          dispose();
          resolve();
        }
      });
    });
    await engine.db.embedded.restart();
    const record = await done;
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('TB_DB_LOST');
    expect(record?.error?.message).toMatch(/connection was lost during the run: .+/);
    expect(record?.summary.queries?.value).toBeGreaterThan(0);
    expect(record?.tables?.queryStats?.rows.length).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);

    // The restarted server serves the next run.
    const next = await engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 200 }, operations: 20, concurrency: 2 },
    });
    expect((await engine.runs.wait(next.runId))?.status).toBe('completed');
  });

  it('survives the server stopping while idle clients sit in a pool', async () => {
    const { InstrumentedPool } = await import('../src/main/engine/db/instrumented-pool.js');
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
