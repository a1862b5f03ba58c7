import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/shared/run-record.js';
import type { DbSpecInput } from '../src/shared/specs/db.js';
import { startTestEngine } from './fixtures/embedded-db.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;

beforeAll(async () => {
  started = await startTestEngine('db-workloads');
});
afterAll(async () => {
  await started?.dispose();
});

async function run(spec: Omit<DbSpecInput, 'kind'>): Promise<RunRecord> {
  const { runId } = await started.engine.call('runs.start', { spec: { kind: 'db', ...spec } });
  const record = await started.engine.runs.wait(runId);
  return record ?? (await started.engine.call('runs.get', { runId })).run;
}

const statsRow = (record: RunRecord, fragment: string) => {
  const table = record.tables?.queryStats;
  const calls = table?.columns.indexOf('calls') ?? -1;
  const row = table?.rows.find((candidate) => String(candidate[1]).includes(fragment));
  return row ? Number(row[calls]) : undefined;
};

describe('db workloads on the embedded server', () => {
  it('point select: query statistics count every query, series and pg_stat_statements cross-check are recorded', async () => {
    const record = await run({ workload: { type: 'pointSelect', rows: 500 }, operations: 300, concurrency: 4, durationSec: 20 });
    expect(record.status).toBe('completed');
    expect(record.summary.queries?.value).toBe(300);
    expect(statsRow(record, 'WHERE id = $1')).toBe(300);
    expect(record.series.throughput?.v.length).toBeGreaterThan(0);
    expect(record.series.poolTotal?.v.some((value) => value > 0)).toBe(true);
    const check = record.tables?.pgStatStatements;
    expect(check?.rows.length).toBeGreaterThan(0);
    const serverCalls = check!.columns.indexOf('calls (server)');
    expect(check!.rows.find((row) => String(row[1]).includes('WHERE id = $1'))?.[serverCalls]).toBe(300);
    expect(record.environment.extra?.postgresVersion).toMatch(/^18/);
  });

  it('range scan, insert and the read-through cache run and report their own figures', async () => {
    const range = await run({ workload: { type: 'rangeScan', rows: 500, limit: 10 }, operations: 50, concurrency: 2 });
    expect(range.status).toBe('completed');
    expect(statsRow(range, 'LIMIT $2')).toBe(50);
    const insert = await run({ workload: { type: 'insert' }, operations: 40, concurrency: 2 });
    expect(insert.summary.queries?.value).toBe(40);
    const cached = await run({
      workload: { type: 'cachedPointSelect', rows: 500, keySpace: 20, cacheMaxEntries: 100 },
      operations: 200,
      concurrency: 2,
    });
    expect(cached.summary.cacheHits!.value + cached.summary.cacheMisses!.value).toBe(200);
    expect(cached.summary.cacheMisses!.value).toBe(cached.summary.queries!.value);
    expect(cached.summary.cacheHitRatio!.value).toBeGreaterThan(0.5);
  });

  it('bulk insert compares multi-row INSERT and COPY per chunk size', async () => {
    const record = await run({
      workload: { type: 'bulkInsert', rowsPerCase: 300, chunkSizes: [10, 100], methods: ['insert', 'copy'] },
      concurrency: 2,
    });
    expect(record.status).toBe('completed');
    const cases = record.tables?.cases;
    expect(cases?.rows.map((row) => row[0])).toEqual(['insert × 10', 'insert × 100', 'copy × 10', 'copy × 100']);
    expect(cases?.rows.map((row) => row[1])).toEqual([30, 3, 30, 3]);
    expect(record.summary['rowsPerSec_copy_100']?.value).toBeGreaterThan(0);
  });

  it('prepared versus unnamed runs both phases', async () => {
    const record = await run({ workload: { type: 'preparedVsUnnamed', rows: 200 }, operations: 50, concurrency: 2 });
    expect(record.tables?.cases?.rows.map((row) => [row[0], row[1]])).toEqual([
      ['unnamed', 50],
      ['prepared', 50],
    ]);
  });

  it('a user query runs read-only: a write fails the run with the server reason', async () => {
    const ok = await run({ workload: { type: 'userQuery', sql: 'SELECT $1::int + 1 AS n', params: [41] }, operations: 20 });
    expect(ok.status).toBe('completed');
    expect(statsRow(ok, 'SELECT $1::int + ? AS n')).toBe(20);
    const write = await run({
      workload: { type: 'userQuery', sql: 'CREATE TABLE tunebench.should_not_exist (id int)' },
      operations: 5,
    });
    expect(write.status).toBe('failed');
    expect(write.error?.code).toBe('TB_DB_QUERY');
    expect(write.error?.message).toContain('read-only transaction');
    const sneaky = await run({ workload: { type: 'userQuery', sql: 'SELECT 1; COMMIT; DROP SCHEMA tunebench CASCADE' }, operations: 1 });
    expect(sneaky.status).toBe('failed');
    expect(sneaky.error?.message).toContain('multiple commands');
  });

  it('a stopped run ends its pool and is saved as stopped with what it measured', async () => {
    const { engine } = started;
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 500 }, durationSec: 60, concurrency: 2 },
    });
    const done = engine.runs.wait(runId);
    await new Promise<void>((resolve) => {
      const dispose = engine.onStream((stream, payload) => {
        if (stream === 'run.frame' && (payload as { summary: { queries?: { value: number } } }).summary.queries?.value) {
          dispose();
          resolve();
        }
      });
    });
    await engine.call('runs.stop', { runId });
    const record = await done;
    expect(record?.status).toBe('stopped');
    expect(record?.summary.queries?.value).toBeGreaterThan(0);
    expect(record?.series.poolTotal?.v.length).toBeGreaterThan(0);
  });
});
