import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/shared/run-record.js';
import { DbSpecSchema, exampleDbSpec } from '../src/shared/specs/db.js';
import { startTestEngine } from './fixtures/embedded-db.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;

beforeAll(async () => {
  started = await startTestEngine('db-warmup');
}, 60_000);
afterAll(async () => {
  await started?.dispose();
});

async function run(spec: Record<string, unknown>): Promise<RunRecord> {
  const { runId } = await started.engine.call('runs.start', { spec: { kind: 'db', workload: { type: 'pointSelect', rows: 1_000 }, concurrency: 2, ...spec } });
  return (await started.engine.runs.wait(runId)) ?? (await started.engine.call('runs.get', { runId })).run;
}

describe('a db run warms up before it measures', () => {
  it('the example and the Database page start from several seconds with a 1 s warm-up', () => {
    const example = DbSpecSchema.parse(exampleDbSpec);
    expect(example.warmupSec).toBe(1);
    expect(example.durationSec).toBeGreaterThanOrEqual(5);
  });

  it('leaves the warm-up out of the summary and the query statistics, and marks where the measured window began', async () => {
    const record = await run({ durationSec: 1, warmupSec: 0.5 });
    expect(record.status).toBe('completed');
    const start = record.events.find((event) => event.type === 'measure-start');
    expect(start?.message).toMatch(/^measured window began after 0\.\d+ s of warm-up \(\d+ operations\)$/);
    expect(Number(start?.data?.warmupOperations)).toBeGreaterThan(0);
    // One query per point select: the warm-up's queries are not counted where its operations are not.
    expect(record.summary.queries!.value).toBe(record.summary.operations!.value);
    const table = record.tables!.queryStats!;
    const calls = table.rows.reduce((sum, row) => sum + Number(row[table.columns.indexOf('calls')]), 0);
    expect(calls).toBe(record.summary.queries!.value);
  });

  it('a warm-up of 0 measures from the first operation', async () => {
    const record = await run({ durationSec: 0.5, warmupSec: 0 });
    expect(record.events.some((event) => event.type === 'measure-start')).toBe(false);
  });
});
