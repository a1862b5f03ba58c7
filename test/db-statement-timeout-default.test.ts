import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbPoolSettingsSchema, DbSpecSchema } from '../src/shared/specs/db.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { startTestEngine } from './fixtures/embedded-db.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;

beforeAll(async () => {
  started = await startTestEngine('db-statement-timeout');
});
afterAll(async () => {
  await started?.dispose();
});

// Divides by zero unless the session's statement_timeout is exactly 30 s.
const REQUIRES_30S = `SELECT 1 / (current_setting('statement_timeout') = '30s')::int`;

async function run(pool: Record<string, unknown>): Promise<RunRecord> {
  const { runId } = await started.engine.call('runs.start', {
    spec: { kind: 'db', pool, workload: { type: 'userQuery', sql: REQUIRES_30S }, operations: 2, concurrency: 1 },
  });
  return (await started.engine.runs.wait(runId)) ?? (await started.engine.call('runs.get', { runId })).run;
}

describe('every workload has a statement timeout by default', () => {
  it('is 30 s unless the spec sets it, and none only when asked for', async () => {
    expect(DbPoolSettingsSchema.parse({}).statementTimeoutMs).toBe(30_000);
    expect(DbSpecSchema.parse({ kind: 'db', workload: { type: 'pointSelect' } }).pool.statementTimeoutMs).toBe(30_000);
    expect((await run({})).status).toBe('completed');
    const none = await run({ statementTimeoutMs: 0 });
    expect(none.status).toBe('failed');
    expect(none.error?.message).toContain('division by zero');
  });
});
