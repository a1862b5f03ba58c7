import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentedPool } from '../src/main/engine/kinds/db/instrumented-pool.js';
import { normalizeQuery } from '../src/main/engine/kinds/db/normalize.js';
import { crossCheckColumns, crossCheckTable, snapshotStatements } from '../src/main/engine/kinds/db/pg-stat-statements.js';
import type { QueryStat } from '../src/main/engine/kinds/db/query-stats.js';
import { DbPoolSettingsSchema } from '../src/shared/specs/db.js';
import { startTestDb, TestDb } from './fixtures/embedded-db.js';

let db: TestDb;
let admin: pg.Client;

beforeAll(async () => {
  db = await startTestDb('db-cross-check');
  admin = new pg.Client(db.target.config);
  await admin.connect();
  await admin.query('CREATE TABLE IF NOT EXISTS cc_items (id int PRIMARY KEY, name text)');
  await admin.query("INSERT INTO cc_items SELECT g, 'n' || g FROM generate_series(1, 20) g ON CONFLICT DO NOTHING");
}, 60_000);
afterAll(async () => {
  await admin?.end().catch(() => {});
  await db?.dispose();
});

/** PostgreSQL's own queryid of a statement, without running it. */
async function queryIdOf(sql: string): Promise<string> {
  const { rows } = await admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN (VERBOSE, COSTS OFF) ${sql}`);
  const line = rows.map((row) => row['QUERY PLAN']).find((text) => text.startsWith('Query Identifier:'));
  return line!.replace('Query Identifier:', '').trim();
}

const column = (name: (typeof crossCheckColumns)[number]) => crossCheckColumns.indexOf(name);

describe('normalization against PostgreSQL 18', () => {
  it('statements the server counts as one entry share a hash, and pair with the text the server prints', async () => {
    const statements = [
      'SELECT * FROM cc_items WHERE id = 1',
      'select *   from CC_ITEMS where ID=-5',
      'select * from cc_items where id in (7)',
      'SELECT * FROM cc_items WHERE id IN (1, 2, 3)',
      'select * from cc_items where id in (4,-5)',
      'select * from cc_items where id = any(array[8, 9])',
      'select * from cc_items where id not in (1, 2)',
      'select * from cc_items where id <> all(array[3, 4, 5])',
      'select id, name from cc_items order by 1 limit 3',
      'select id, name from cc_items order by 2 limit 4',
      'select name, count(*) from cc_items group by 1',
      'select count(*) over (order by 1) from cc_items',
      'select ARRAY[1, 2, 3]',
      'select array[4,5]',
      'select id - 1 from cc_items where id = 0xF',
      "select name from cc_items where name = E'n\\'1' or name = $q$n2$q$ or name = 'n''3'",
    ];
    const ids = new Map<string, string[]>();
    for (const sql of statements) {
      const id = await queryIdOf(sql);
      ids.set(id, [...(ids.get(id) ?? []), sql]);
      await admin.query(sql);
    }
    const { rows } = await admin.query<{ queryid: string; query: string }>('SELECT queryid::text, query FROM pg_stat_statements');
    const serverText = new Map(rows.map((row) => [row.queryid, row.query]));
    // The server's grouping, as our hashes see it.
    for (const [id, group] of ids) {
      expect(new Set(group.map((sql) => normalizeQuery(sql).hash)), group.join(' | ')).toHaveProperty('size', 1);
      expect(normalizeQuery(serverText.get(id)!).matchHash, serverText.get(id)).toBe(normalizeQuery(group[0]!).matchHash);
    }
    // And never one of ours for two of theirs, here: ORDER BY 1 and ORDER BY 2 stay apart as they do on the server.
    expect(ids.size).toBe(new Set(statements.map((sql) => normalizeQuery(sql).hash)).size);
    expect(serverText.get(await queryIdOf('select * from cc_items where id in (1, 2)'))).toBe(
      'SELECT * FROM cc_items WHERE id IN ($1 /*, ... */)',
    );
  });
});

describe('cross-check with pg_stat_statements', () => {
  it('shows every statement seen on either side, the unpaired ones marked', async () => {
    const pool = new InstrumentedPool({ target: db.target, settings: DbPoolSettingsSchema.parse({ max: 2 }), slowQueryMs: 1_000 });
    try {
      const before = await snapshotStatements(admin);
      for (let i = 0; i < 6; i++) await pool.query(i % 2 ? `select * from cc_items where id = ${i}` : `SELECT * FROM cc_items WHERE id=-${i}`);
      for (let i = 0; i < 4; i++) await pool.query('SELECT name FROM cc_items WHERE id = $1', [i]);
      for (let i = 1; i < 4; i++) await pool.query(`select name from cc_items where id in (${Array.from({ length: i + 1 }, (_, k) => k).join(', ')})`);
      await pool.query('select id from cc_items order by 1 limit 2');
      await expect(pool.query('SELECT 1/0 AS broken')).rejects.toThrow('division by zero');
      await admin.query('SELECT 42 AS only_on_the_server');
      const after = await snapshotStatements(admin);
      const table = crossCheckTable(before, after, pool.stats.stats())!;
      expect(table.columns).toEqual([...crossCheckColumns]);
      const row = (fragment: string) => {
        const found = table.rows.filter((candidate) => String(candidate[column('query')]).includes(fragment));
        expect(found, fragment).toHaveLength(1);
        return found[0]!;
      };

      // Literals sent by Tunebench pair with the server's $1, whatever their case, spacing and sign.
      expect(row('WHERE id=?')).toEqual(expect.arrayContaining([6, 0]));
      expect(row('WHERE id=?')[column('calls (server)')]).toBe(6);
      expect(row('WHERE id=?')[column('match')]).toBe('matched');
      expect(row('WHERE id = $1')[column('calls (server)')]).toBe(4);
      expect(row('in (?, ...)')[column('calls (server)')]).toBe(3);
      expect(row('in (?, ...)')[column('query (server)')]).toBe('select name from cc_items where id in (?, ...)');
      expect(row('order by 1')[column('match')]).toBe('matched');

      // A statement that only failed is Tunebench's alone: the server counts completed statements.
      expect(row('?/? AS broken')[column('calls (server)')]).toBe('—');
      expect(row('?/? AS broken')[column('match')]).toMatch(/^Tunebench only: every call failed/);
      // What reached the server some other way is listed too.
      expect(row('only_on_the_server')[column('calls (Tunebench)')]).toBe('—');
      expect(row('only_on_the_server')[column('match')]).toMatch(/^server only/);
      expect(table.rows.some((candidate) => String(candidate[column('match')]).includes("Tunebench's own pg_stat_statements snapshot"))).toBe(true);

      // Nothing dropped: every one of our entries and every server entry that moved has its calls in the table.
      const sum = (name: (typeof crossCheckColumns)[number]) =>
        table.rows.reduce((total, candidate) => total + (typeof candidate[column(name)] === 'number' ? Number(candidate[column(name)]) : 0), 0);
      expect(sum('calls (Tunebench)')).toBe(pool.stats.totalCalls());
      let serverCalls = 0;
      for (const [id, counters] of after!) serverCalls += counters.calls - (before!.get(id)?.calls ?? 0);
      expect(sum('calls (server)')).toBe(serverCalls);
    } finally {
      await pool.end();
    }
  });

  it('an entry reset during the run still shows, with what it counted since', () => {
    const own: QueryStat[] = [];
    const before = new Map([['10:1', { query: 'select $1', calls: 50, totalMs: 5 }]]);
    const after = new Map([['10:1', { query: 'select $1', calls: 3, totalMs: 0.3 }]]);
    const table = crossCheckTable(before, after, own)!;
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]![column('calls (server)')]).toBe(3);
    expect(table.rows[0]![column('match')]).toMatch(/reset during the run/);
  });
});
