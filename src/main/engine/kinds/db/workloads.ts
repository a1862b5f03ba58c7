import type pg from 'pg';
import type { MetricValue } from '../../../../shared/metrics.js';
import type { RecordTable } from '../../../../shared/run-record.js';
import type {
  BulkInsertWorkloadSchema,
  CachedPointSelectWorkloadSchema,
  DbWorkload,
  InsertWorkloadSchema,
  PointSelectWorkloadSchema,
  PreparedVsUnnamedWorkloadSchema,
  RangeScanWorkloadSchema,
  SerializableWorkloadSchema,
  UserQueryWorkloadSchema,
} from '../../../../shared/specs/db.js';
import type { z } from 'zod';
import { quoteIdent, schemaTable, TUNEBENCH_SCHEMA } from '../../postgres/connection.js';
import type { InstrumentedPool } from './instrumented-pool.js';
import { ReadThroughCache } from './read-through-cache.js';
import { runSerializable } from './serializable-retry.js';

/** What one operation gets: the pool and its own seeded random stream. */
export interface OperationContext {
  pool: InstrumentedPool;
  random: () => number;
}

/** A stretch of a run doing one operation repeatedly (most workloads have one; comparisons have several). */
export interface WorkloadPhase {
  name: string;
  /** Runs before the phase's clock starts (e.g. emptying the target table). */
  prepare?: (admin: pg.Client) => Promise<void>;
  /** A fixed number of operations for this phase (bulk cases); otherwise the run's duration/count applies. */
  operations?: number;
  /** Rows one operation writes, for a rows/s figure. */
  rowsPerOperation?: number;
  operation: (context: OperationContext) => Promise<void>;
}

export interface Workload {
  /** Creates and seeds Tunebench's tables; values always as parameters. */
  setup(admin: pg.Client, seed: number): Promise<void>;
  phases: WorkloadPhase[];
  /** Workload-specific results (cache hits, retries ...), read at the end and live. */
  summary?(): Record<string, MetricValue>;
  /** Checks run after the last phase (e.g. the transfer invariant). */
  verify?(admin: pg.Client): Promise<Record<string, MetricValue>>;
  tables?(): Record<string, RecordTable>;
  /**
   * Its statements with parameter values like those it sends, for query plans
   * (db.explain): values drawn by the same rules from `random`. COPY has no plan and is left out.
   */
  samples?(random: () => number): StatementSample[];
}

export interface StatementSample {
  sql: string;
  values: unknown[];
}

type Input<S extends z.ZodType> = z.infer<S>;

const ITEMS = schemaTable('items');
const EVENTS = schemaTable('events');
const BULK = schemaTable('bulk_rows');
const ACCOUNTS = schemaTable('accounts');
const META = schemaTable('meta');

export function createWorkload(spec: DbWorkload): Workload {
  switch (spec.type) {
    case 'pointSelect':
      return pointSelect(spec);
    case 'rangeScan':
      return rangeScan(spec);
    case 'insert':
      return insert(spec);
    case 'bulkInsert':
      return bulkInsert(spec);
    case 'serializable':
      return serializable(spec);
    case 'preparedVsUnnamed':
      return preparedVsUnnamed(spec);
    case 'cachedPointSelect':
      return cachedPointSelect(spec);
    case 'userQuery':
      return userQuery(spec);
  }
}

export async function ensureSchema(admin: pg.Client): Promise<void> {
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(TUNEBENCH_SCHEMA)}`);
  await admin.query(`CREATE TABLE IF NOT EXISTS ${META} (key text PRIMARY KEY, value text NOT NULL)`);
}

/** Seeds tunebench.items with `rows` deterministic rows, unless it already holds exactly those. */
async function seedItems(admin: pg.Client, rows: number, seed: number): Promise<void> {
  await ensureSchema(admin);
  await admin.query(
    `CREATE TABLE IF NOT EXISTS ${ITEMS} (id bigint PRIMARY KEY, name text NOT NULL, value integer NOT NULL, payload text NOT NULL)`,
  );
  const fingerprint = `${rows}:${seed}`;
  const { rows: meta } = await admin.query<{ value: string }>(`SELECT value FROM ${META} WHERE key = $1`, ['items']);
  if (meta[0]?.value === fingerprint) return;
  await admin.query('BEGIN');
  try {
    await admin.query(`TRUNCATE ${ITEMS}`);
    await admin.query(
      `INSERT INTO ${ITEMS} (id, name, value, payload)
       SELECT g, 'item-' || g, ((g * 7919 + $2::bigint) % 100000)::int, md5((g + $2::bigint)::text)
       FROM generate_series(1, $1::bigint) AS g`,
      [rows, seed],
    );
    await admin.query(
      `INSERT INTO ${META} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      ['items', fingerprint],
    );
    await admin.query('COMMIT');
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => {});
    throw error;
  }
  await admin.query(`ANALYZE ${ITEMS}`);
}

export const POINT_SELECT_SQL = `SELECT id, name, value FROM ${ITEMS} WHERE id = $1`;

function randomId(random: () => number, rows: number): number {
  return 1 + Math.floor(random() * rows);
}

function pointSelectPhase(name: string, rows: number, prepared?: boolean): WorkloadPhase {
  const options = prepared === undefined ? undefined : { prepared };
  return {
    name,
    operation: async ({ pool, random }) => {
      await pool.query(POINT_SELECT_SQL, [randomId(random, rows)], options);
    },
  };
}

function pointSelect(spec: Input<typeof PointSelectWorkloadSchema>): Workload {
  return {
    setup: (admin, seed) => seedItems(admin, spec.rows, seed),
    phases: [pointSelectPhase('point select', spec.rows)],
    samples: (random) => [{ sql: POINT_SELECT_SQL, values: [randomId(random, spec.rows)] }],
  };
}

function rangeScan(spec: Input<typeof RangeScanWorkloadSchema>): Workload {
  const sql = `SELECT id, name, value FROM ${ITEMS} WHERE id >= $1 ORDER BY id LIMIT $2`;
  return {
    setup: (admin, seed) => seedItems(admin, spec.rows, seed),
    phases: [
      {
        name: 'range scan',
        operation: async ({ pool, random }) => {
          await pool.query(sql, [randomId(random, spec.rows), spec.limit]);
        },
      },
    ],
    samples: (random) => [{ sql, values: [randomId(random, spec.rows), spec.limit] }],
  };
}

function insert(spec: Input<typeof InsertWorkloadSchema>): Workload {
  const payload = 'x'.repeat(spec.payloadBytes);
  const sql = `INSERT INTO ${EVENTS} (kind, payload) VALUES ($1, $2)`;
  return {
    setup: async (admin) => {
      await ensureSchema(admin);
      await admin.query(
        `CREATE TABLE IF NOT EXISTS ${EVENTS} (id bigserial PRIMARY KEY, kind integer NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      // Each run starts empty so runs stay comparable and the table stays small.
      await admin.query(`TRUNCATE ${EVENTS}`);
    },
    phases: [
      {
        name: 'insert',
        rowsPerOperation: 1,
        operation: async ({ pool, random }) => {
          await pool.query(sql, [Math.floor(random() * 100), payload]);
        },
      },
    ],
    samples: (random) => [{ sql, values: [Math.floor(random() * 100), payload] }],
  };
}

/** Escapes one value for COPY's text format (backslash, tab, newline, carriage return). */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/** One multi-row INSERT of `count` rows into tunebench.bulk_rows, ids from `first`, and its values. */
function bulkInsertStatement(first: number, count: number, payload: string): StatementSample {
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (let i = 0; i < count; i++) {
    values.push(first + i, (first + i) % 100, payload);
    tuples.push(`($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`);
  }
  return { sql: `INSERT INTO ${BULK} (id, kind, payload) VALUES ${tuples.join(', ')}`, values };
}

function bulkInsert(spec: Input<typeof BulkInsertWorkloadSchema>): Workload {
  const payload = 'b'.repeat(spec.payloadBytes);
  const phases: WorkloadPhase[] = [];
  for (const method of spec.methods) {
    for (const chunk of spec.chunkSizes) {
      const chunks = Math.ceil(spec.rowsPerCase / chunk);
      let next = 0;
      const takeChunk = () => {
        const first = next * chunk + 1;
        next += 1;
        return { first, count: Math.min(chunk, spec.rowsPerCase - first + 1) };
      };
      phases.push({
        name: `${method} × ${chunk}`,
        operations: chunks,
        rowsPerOperation: chunk,
        prepare: async (admin) => {
          next = 0;
          await admin.query(`TRUNCATE ${BULK}`);
        },
        operation:
          method === 'insert'
            ? async ({ pool }) => {
                const { first, count } = takeChunk();
                const { sql, values } = bulkInsertStatement(first, count, payload);
                await pool.query(sql, values);
              }
            : async ({ pool }) => {
                const { first, count } = takeChunk();
                const escaped = copyText(payload);
                function* lines() {
                  for (let i = 0; i < count; i++) yield `${first + i}\t${(first + i) % 100}\t${escaped}\n`;
                }
                await pool.withClient((client) =>
                  client.copyIn(`COPY ${BULK} (id, kind, payload) FROM STDIN`, lines(), count),
                );
              },
      });
    }
  }
  return {
    setup: async (admin) => {
      await ensureSchema(admin);
      await admin.query(`CREATE TABLE IF NOT EXISTS ${BULK} (id bigint NOT NULL, kind integer NOT NULL, payload text NOT NULL)`);
    },
    phases,
    samples: () =>
      spec.methods.includes('insert')
        ? [...new Set(spec.chunkSizes.flatMap((chunk) => [Math.min(chunk, spec.rowsPerCase), spec.rowsPerCase % chunk || chunk]))].map((count) =>
            bulkInsertStatement(1, count, payload),
          )
        : [],
  };
}

function serializable(spec: Input<typeof SerializableWorkloadSchema>): Workload {
  const INITIAL_BALANCE = 1_000;
  let commits = 0;
  let retries = 0;
  let finalFailures = 0;
  const readBalance = `SELECT balance FROM ${ACCOUNTS} WHERE id = $1`;
  const writeBalance = `UPDATE ${ACCOUNTS} SET balance = $1 WHERE id = $2`;
  return {
    setup: async (admin) => {
      await ensureSchema(admin);
      await admin.query(`CREATE TABLE IF NOT EXISTS ${ACCOUNTS} (id integer PRIMARY KEY, balance bigint NOT NULL)`);
      await admin.query(`TRUNCATE ${ACCOUNTS}`);
      await admin.query(`INSERT INTO ${ACCOUNTS} (id, balance) SELECT g, $2::bigint FROM generate_series(1, $1::int) AS g`, [
        spec.accounts,
        INITIAL_BALANCE,
      ]);
    },
    phases: [
      {
        name: 'serializable transfer',
        operation: async ({ pool, random }) => {
          const from = randomId(random, spec.accounts);
          let to = randomId(random, spec.accounts - 1);
          if (to >= from) to += 1;
          const amount = 1 + Math.floor(random() * 10);
          const outcome = await runSerializable(pool, spec, random, async (client) => {
            // Read-modify-write in the application: the pattern that conflicts under SERIALIZABLE.
            const source = await client.query<{ balance: string }>(readBalance, [from]);
            const target = await client.query<{ balance: string }>(readBalance, [to]);
            await client.query(writeBalance, [Number(source.rows[0]?.balance ?? 0) - amount, from]);
            await client.query(writeBalance, [Number(target.rows[0]?.balance ?? 0) + amount, to]);
          });
          retries += outcome.retries;
          if (outcome.committed) commits += 1;
          else finalFailures += 1;
        },
      },
    ],
    samples: (random) => {
      const from = randomId(random, spec.accounts);
      return [
        { sql: readBalance, values: [from] },
        { sql: writeBalance, values: [INITIAL_BALANCE, from] },
      ];
    },
    summary: () => ({
      commits: { value: commits, unit: 'count', label: 'committed transfers', better: 'higher' },
      retries: { value: retries, unit: 'count', label: 'retries (40001/40P01)', better: 'lower' },
      finalFailures: { value: finalFailures, unit: 'count', label: 'gave up after max retries', better: 'lower' },
    }),
    verify: async (admin) => {
      const { rows } = await admin.query<{ total: string }>(`SELECT coalesce(sum(balance), 0) AS total FROM ${ACCOUNTS}`);
      const kept = Number(rows[0]?.total) === spec.accounts * INITIAL_BALANCE;
      return {
        balanceInvariant: { value: kept ? 1 : 0, unit: 'count', label: 'total balance unchanged (1 = yes)', better: 'higher' },
      };
    },
  };
}

function preparedVsUnnamed(spec: Input<typeof PreparedVsUnnamedWorkloadSchema>): Workload {
  return {
    setup: (admin, seed) => seedItems(admin, spec.rows, seed),
    phases: [pointSelectPhase('unnamed', spec.rows, false), pointSelectPhase('prepared', spec.rows, true)],
    samples: (random) => [{ sql: POINT_SELECT_SQL, values: [randomId(random, spec.rows)] }],
  };
}

function cachedPointSelect(spec: Input<typeof CachedPointSelectWorkloadSchema>): Workload {
  const cache = new ReadThroughCache<number, unknown>({ ttlMs: spec.cacheTtlMs, maxEntries: spec.cacheMaxEntries });
  const keySpace = Math.min(spec.keySpace, spec.rows);
  return {
    setup: (admin, seed) => seedItems(admin, spec.rows, seed),
    phases: [
      {
        name: 'cached point select',
        operation: async ({ pool, random }) => {
          const id = randomId(random, keySpace);
          await cache.get(id, async () => (await pool.query(POINT_SELECT_SQL, [id])).rows[0]);
        },
      },
    ],
    samples: (random) => [{ sql: POINT_SELECT_SQL, values: [randomId(random, keySpace)] }],
    summary: () => {
      const { hits, misses } = cache.counters();
      const lookups = hits + misses;
      return {
        cacheHits: { value: hits, unit: 'count', label: 'cache hits (queries saved)', better: 'higher' },
        cacheMisses: { value: misses, unit: 'count', label: 'cache misses (queries sent)', better: 'lower' },
        cacheHitRatio: { value: lookups ? hits / lookups : 0, unit: 'ratio', label: 'cache hit ratio', better: 'higher' },
      };
    },
  };
}

/**
 * Opens each user-SQL transaction READ ONLY and takes its snapshot at once, in
 * one round trip: after the first query PostgreSQL refuses SET TRANSACTION READ
 * WRITE (25001). READ ONLY is a guard against mistakes, not a security
 * boundary: the role the SQL runs as is (see user-sql.ts).
 */
export const USER_QUERY_BEGIN_SQL = 'BEGIN TRANSACTION READ ONLY; SELECT 1';

function userQuery(spec: Input<typeof UserQueryWorkloadSchema>): Workload {
  return {
    setup: async () => {},
    phases: [
      {
        name: 'your query',
        operation: async ({ pool }) => {
          await pool.withClient(async (client) => {
            // Two statements, so never as a named prepared statement.
            await client.query(USER_QUERY_BEGIN_SQL, undefined, { prepared: false });
            try {
              // One statement only: a second one could end the read-only transaction and write.
              await client.query(spec.sql, spec.params, { singleStatement: true });
            } finally {
              await client.query('ROLLBACK').catch(() => {});
            }
          });
        },
      },
    ],
    samples: () => [{ sql: spec.sql, values: spec.params }],
  };
}
