import { describe, expect, it } from 'vitest';
import { clientOverServer, poolBottleneck, serializationRetries, slowQueries } from '../src/main/engine/findings/db.js';
import type { FindingContext, FindingInput, FindingRule } from '../src/main/engine/findings/index.js';
import { FindingSchema, type Finding } from '../src/shared/findings.js';
import type { RecordTable } from '../src/shared/run-record.js';
import { crossCheckColumns } from '../src/main/engine/kinds/db/pg-stat-statements.js';
import { engineFactory } from './fixtures/engine.js';
import { event, every, findingInput, m } from './fixtures/finding-inputs.js';

const db = (parts: Partial<FindingInput> & { max?: number; concurrency?: number } = {}) => {
  const { max = 2, concurrency = 8, ...rest } = parts;
  return findingInput('db', { spec: { kind: 'db', pool: { max }, concurrency, slowQueryMs: 50 }, ...rest });
};
const POINT = 'SELECT id, name, value FROM "tunebench"."items" WHERE id = $1';
/** A pg_stat_statements cross-check: [text, Tunebench calls, failed, mean ms, server calls, server mean ms]. */
const crossCheck = (...rows: Array<[string, number, number, number, number, number]>): Record<string, RecordTable> => ({
  pgStatStatements: {
    columns: [...crossCheckColumns],
    rows: rows.map(([text, calls, failed, mean, serverCalls, serverMean], i) => [`h${i}`, text, calls, failed, mean, serverCalls, serverMean, text, 'matched']),
  },
});
const queryStats = (...rows: Array<[string, string, number]>): RecordTable => ({
  columns: ['hash', 'query', 'calls', 'total ms', 'mean ms', 'min ms', 'max ms', 'p95 ms', 'rows', 'errors'],
  rows: rows.map(([hash, text, total]) => [hash, text, 1, total, 1, 1, 1, 1, 1, 0]),
});
/** The slow-query log by statement: [hash, text, count]. */
const slowTable = (...rows: Array<[string, string, number]>): RecordTable => ({
  columns: ['hash', 'query', 'count', 'p95 ms', 'max ms', 'last seen s', 'failed'],
  rows: rows.map(([hash, text, count]) => [hash, text, count, 70, 90, 2.9, 0]),
});
const slow = (t: number, hash: string, text: string) => event(t, 'slow-query', { hash, durationMs: 70, failed: false }, `70 ms: ${text}`);

interface Case {
  name: string;
  rule: FindingRule;
  input: FindingInput;
  context?: FindingContext;
  expected: Partial<Finding> | undefined;
}

const cases: Case[] = [
  {
    name: 'every client busy, operations waiting, acquire above query time: the pool is the bottleneck',
    rule: poolBottleneck,
    input: db({
      summary: { acquireP95: m(13.4, 'ms'), latencyP95: m(3.1, 'ms') },
      series: { poolWaiting: every(250, [0, 6, 6, 6, 6]), poolIdle: every(250, [2, 0, 0, 0, 0]) },
    }),
    expected: {
      id: 'db.pool-bottleneck',
      severity: 'warning',
      title: 'The pool is the bottleneck: all 2 clients were busy and about 4.8 operations waited for one; acquiring a client took 13.4 ms (p95), longer than the queries (3.1 ms).',
      range: { fromMs: 250, toMs: 1_250 },
      tryNext: { action: 'sweep', label: 'Sweep the pool size over 2, 4, 8', axis: { path: 'pool.max', values: [2, 4, 8] } },
    },
  },
  {
    name: 'waiters but a quick acquire say nothing',
    rule: poolBottleneck,
    input: db({ summary: { acquireP95: m(0.5, 'ms'), latencyP95: m(3, 'ms') }, series: { poolWaiting: every(250, [0, 1, 0]) } }),
    expected: undefined,
  },
  {
    name: 'a slow acquire nobody waited for (connecting) says nothing',
    rule: poolBottleneck,
    input: db({ summary: { acquireP95: m(9, 'ms'), latencyP95: m(3, 'ms') }, series: { poolWaiting: every(250, [0, 0, 0]) } }),
    expected: undefined,
  },
  {
    name: 'client time far above server time: a note under a millisecond apart',
    rule: clientOverServer,
    input: db({ tables: crossCheck([POINT, 2_930, 0, 0.637, 2_930, 0.01]) }),
    expected: {
      id: 'db.client-over-server',
      severity: 'info',
      title:
        'Client time is far above server time: 0.637 ms a query measured by Tunebench against 0.01 ms on the server, so the time goes to the driver, the network or the event loop, not to the query.',
    },
  },
  {
    name: 'a millisecond or more apart is a warning',
    rule: clientOverServer,
    input: db({ tables: crossCheck([POINT, 7_000, 0, 1.5, 7_000, 0.01]) }),
    expected: { id: 'db.client-over-server', severity: 'warning' },
  },
  {
    name: 'server time that dominates (a slow statement) says nothing',
    rule: clientOverServer,
    input: db({ tables: crossCheck(['SELECT pg_sleep($1)', 60, 0, 61, 60, 60.2], ['ROLLBACK', 60, 0, 1.1, 60, 0.001]) }),
    expected: undefined,
  },
  {
    name: 'statements that failed are left out: their time (a lock wait) is the server\'s too',
    rule: clientOverServer,
    input: db({ tables: crossCheck(['UPDATE accounts SET balance = $1 WHERE id = $2', 56, 36, 287, 20, 100]) }),
    expected: undefined,
  },
  { name: 'without the cross-check nothing', rule: clientOverServer, input: db(), expected: undefined },
  {
    name: 'slow queries by statement with their share of all query time',
    rule: slowQueries,
    input: db({
      summary: { queries: m(40) },
      events: [slow(300, 'a', 'SELECT pg_sleep(?)'), slow(700, 'a', 'SELECT pg_sleep(?)'), slow(900, 'b', 'SELECT big()')],
      tables: { queryStats: queryStats(['a', 'SELECT pg_sleep(?)', 900], ['b', 'SELECT big()', 70], ['c', 'ROLLBACK', 30]) },
    }),
    expected: {
      id: 'db.slow-queries',
      severity: 'warning',
      title: '3 of 40 queries (7.5%) took 50 ms or more across 2 statements; most (2) were “SELECT pg_sleep(?)”, which took 90% of all query time.',
      range: { fromMs: 299, toMs: 901 },
    },
  },
  {
    name: 'live, slow queries without the statistics table',
    rule: slowQueries,
    input: db({ events: [slow(300, 'a', 'SELECT pg_sleep(?)')] }),
    context: { live: true },
    expected: { id: 'db.slow-queries', title: '1 query took 50 ms or more, all of them “SELECT pg_sleep(?)”.' },
  },
  {
    name: 'a few outliers among thousands of one statement are a note, without a share of time',
    rule: slowQueries,
    input: db({ summary: { queries: m(2_930) }, events: [slow(300, 'a', POINT), slow(900, 'a', POINT)], tables: { queryStats: queryStats(['a', POINT, 1_800]) } }),
    expected: { id: 'db.slow-queries', severity: 'info', title: `2 of 2,930 queries (0.0683%) took 50 ms or more, all of them “${POINT.slice(0, 59)}…”.` },
  },
  {
    name: 'the timeline keeps only the first slow queries: the count is the slow-query table\'s, every one of them',
    rule: slowQueries,
    input: {
      ...db({
        summary: { queries: m(7_061) },
        events: Array.from({ length: 200 }, (_, i) => slow(10 + i, 'a', POINT)),
        series: { queries: every(1_000, [0, 1_400, 1_400, 1_400, 1_400, 1_400]) },
        tables: { queryStats: queryStats(['a', POINT, 1_800]), slowQueries: slowTable(['a', POINT, 7_061]) },
      }),
      spec: { kind: 'db', pool: { max: 2 }, concurrency: 8, slowQueryMs: 0 },
    },
    expected: {
      id: 'db.slow-queries',
      severity: 'warning',
      title: `7,061 of 7,061 queries (100%) took 0 ms or more, all of them “${POINT.slice(0, 59)}…”.`,
      evidence: expect.arrayContaining([{ label: 'slow queries', value: 7_061, unit: 'count' }]) as Finding['evidence'],
      // The events stopped at 200; the slow queries went on to the run's end.
      range: { fromMs: 9, toMs: 6_000 },
    },
  },
  {
    name: 'statements counted from the table, most first, beyond the events\' cap',
    rule: slowQueries,
    input: db({
      summary: { queries: m(5_000) },
      events: [slow(300, 'a', 'SELECT pg_sleep(?)'), slow(400, 'b', 'SELECT big()')],
      tables: { slowQueries: slowTable(['b', 'SELECT big()', 900], ['a', 'SELECT pg_sleep(?)', 300]) },
    }),
    expected: { id: 'db.slow-queries', title: '1,200 of 5,000 queries (24%) took 50 ms or more across 2 statements; most (900) were “SELECT big()”.' },
  },
  {
    name: 'an empty slow-query table and no events say nothing',
    rule: slowQueries,
    input: db({ summary: { queries: m(5_000) }, tables: { slowQueries: slowTable() } }),
    expected: undefined,
  },
  { name: 'no slow queries say nothing', rule: slowQueries, input: db({ events: [event(100, 'db-error')] }), expected: undefined },
  {
    name: 'serialization retries: sweep concurrency to see them rise with it',
    rule: serializationRetries,
    input: db({ summary: { retries: m(33), commits: m(9), finalFailures: m(3) } }),
    expected: {
      id: 'db.serialization-retries',
      severity: 'problem',
      title: 'Serialization failures: 3.67 retries per committed transaction (33 retries, 3 gave up) at 8 in flight; conflicts rise with concurrency.',
      tryNext: { action: 'sweep', label: 'Sweep concurrency over 1, 2, 4, 8', axis: { path: 'concurrency', values: [1, 2, 4, 8] } },
    },
  },
  { name: 'a retry in a thousand commits says nothing', rule: serializationRetries, input: db({ summary: { retries: m(1), commits: m(1_000) } }), expected: undefined },
  { name: 'other workloads (retries 0) say nothing', rule: serializationRetries, input: db({ summary: { retries: m(0) } }), expected: undefined },
];

describe('db findings', () => {
  it.each(cases)('$name', ({ rule, input, context, expected }) => {
    const found = rule(input, context ?? { live: false });
    const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
    if (expected === undefined) {
      expect(list).toEqual([]);
      return;
    }
    expect(list).toHaveLength(1);
    expect(FindingSchema.parse(list[0])).toMatchObject(expected);
  });

  const engines = engineFactory();

  it('a real run of eight operations in flight on a pool of one client finds the pool the bottleneck; a pool of eight does not', async () => {
    const engine = await engines.open(await engines.tempDir());
    const run = async (max: number) => {
      const { runId } = await engine.call('runs.start', {
        spec: { kind: 'db', workload: { type: 'pointSelect', rows: 1_000 }, pool: { max }, concurrency: 8, durationSec: 1.5 },
      });
      const record = (await engine.runs.wait(runId))!;
      expect(record.status, record.error?.message).toBe('completed');
      return record;
    };
    const one = await run(1);
    const bottleneck = one.findings?.find((finding) => finding.id === 'db.pool-bottleneck');
    expect(bottleneck?.title, JSON.stringify(one.findings)).toMatch(/^The pool is the bottleneck: its one client was busy/);
    expect(bottleneck?.tryNext).toEqual({ action: 'sweep', label: 'Sweep the pool size over 1, 2, 4, 8', axis: { path: 'pool.max', values: [1, 2, 4, 8] } });
    const eight = await run(8);
    expect(eight.findings?.map((finding) => finding.id)).not.toContain('db.pool-bottleneck');
  }, 120_000);
});
