import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentedPool } from '../src/main/engine/kinds/db/instrumented-pool.js';
import { DbPoolSettingsSchema } from '../src/shared/specs/db.js';
import { startTestDb, TestDb } from './fixtures/embedded-db.js';

let db: TestDb;
let pool: InstrumentedPool;

beforeAll(async () => {
  db = await startTestDb('db-stats');
  pool = new InstrumentedPool({ target: db.target, settings: DbPoolSettingsSchema.parse({ max: 4 }), slowQueryMs: 1_000 });
});
afterAll(async () => {
  await pool?.end();
  await db?.dispose();
});

describe('instrumented pool statistics', () => {
  it('counts exactly the queries sent, grouped by normalized text', async () => {
    const sent = 57;
    await Promise.all(Array.from({ length: sent }, (_, i) => pool.query('SELECT $1::int AS n', [i])));
    const stat = pool.stats.stats().find((candidate) => candidate.text === 'SELECT $1::int AS n');
    expect(stat?.calls).toBe(sent);
    expect(stat?.rows).toBe(sent);
    expect(stat?.errors).toBe(0);
    expect(pool.totals().queries).toBe(sent);
  });

  it('groups literals: where id = 1 and where id = 2 are one entry, without the values', async () => {
    await pool.query('SELECT * FROM generate_series(1, 3) AS g WHERE g = 1');
    await pool.query("SELECT *   FROM generate_series(1, 3) AS g\n WHERE g = 2 -- second");
    const entries = pool.stats.stats().filter((candidate) => candidate.text.includes('generate_series'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ calls: 2, text: 'SELECT * FROM generate_series(?, ?) AS g WHERE g = ?' });
  });

  it('returns pg results unchanged and counts failed queries as errors', async () => {
    const result = await pool.query<{ a: number; b: string }>("SELECT 1 AS a, 'x' AS b");
    expect(result.rows).toEqual([{ a: 1, b: 'x' }]);
    await expect(pool.query('SELECT 1/0')).rejects.toThrow('division by zero');
    const failed = pool.stats.stats().find((candidate) => candidate.text === 'SELECT ?/?');
    expect(failed).toMatchObject({ calls: 1, errors: 1 });
  });

  it('keeps a slow-query log with normalized text and never the parameter values', async () => {
    const slowPool = new InstrumentedPool({
      target: db.target,
      settings: DbPoolSettingsSchema.parse({ max: 1 }),
      slowQueryMs: 0,
    });
    try {
      await slowPool.query('SELECT $1::text AS secret_value', ['hunter2-param']);
      const log = slowPool.stats.slowLog();
      expect(log).toHaveLength(1);
      expect(log[0]!.text).toBe('SELECT $1::text AS secret_value');
      expect(JSON.stringify(slowPool.stats.slowTable())).not.toContain('hunter2-param');
      expect(slowPool.totals().acquireP95Ms).toBeGreaterThanOrEqual(0);
    } finally {
      await slowPool.end();
    }
  });
});
