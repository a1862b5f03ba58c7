import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../src/main/engine/postgres/connection.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { startTestEngine } from './fixtures/embedded-db.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;
/** Tunebench's own superuser connection: the attacks aim at it and at the server around it. */
let admin: pg.Client;
let scratch: string;

beforeAll(async () => {
  started = await startTestEngine('db-user-sql');
  admin = await connectClient(await started.engine.db.resolve('embedded'), 5_000);
  // A folder the server's own system user can read and write, as /tmp is.
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-user-sql-'));
  await fs.chmod(scratch, 0o777);
});
afterAll(async () => {
  await admin?.end();
  await started?.dispose();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function userQuery(sql: string, params: unknown[] = [], extra: Record<string, unknown> = {}): Promise<RunRecord> {
  const { runId } = await started.engine.call('runs.start', {
    spec: { kind: 'db', workload: { type: 'userQuery', sql, params }, operations: 3, concurrency: 1, durationSec: 20, ...extra },
  });
  return (await started.engine.runs.wait(runId)) ?? (await started.engine.call('runs.get', { runId })).run;
}

/** Every place a run keeps server text: the error, the events and the errors table. */
function serverTexts(record: RunRecord): string {
  return JSON.stringify({ error: record.error, events: record.events, errors: record.tables?.errors });
}

function expectRefused(record: RunRecord, reason: RegExp) {
  expect(record.status).toBe('failed');
  expect(record.error?.code).toBe('TB_DB_QUERY');
  expect(record.error?.message).toMatch(reason);
  expect(record.error?.message).toContain('runs as the role tunebench_query');
  expect(record.error!.message.length).toBeLessThan(400);
  expect(record.environment.extra?.userSqlRole).toBe('tunebench_query (restricted)');
}

describe('user SQL on the embedded server runs as a restricted role on connections of its own', () => {
  it('COPY ... TO PROGRAM is refused and runs nothing', async () => {
    const marker = path.join(scratch, `copy-to-program-${randomBytes(4).toString('hex')}`);
    const record = await userQuery(`COPY (SELECT 1) TO PROGRAM 'id > ${marker}'`);
    expectRefused(record, /permission denied to COPY to or from an external program \(SQLSTATE 42501\)/);
    await expect(fs.access(marker)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('pg_read_file is refused and no file content reaches the record', async () => {
    const secret = `TB-FILE-CONTENT-${randomBytes(6).toString('hex')}`;
    const file = path.join(scratch, 'secret.txt');
    await fs.writeFile(file, `${secret}\n`, { mode: 0o644 });
    // The same call as superuser reads it: the file is there and readable by the server.
    expect((await admin.query('SELECT pg_read_file($1) AS text', [file])).rows[0].text).toContain(secret);

    const plain = await userQuery('SELECT pg_read_file($1)', [file]);
    expectRefused(plain, /permission denied for function pg_read_file \(SQLSTATE 42501\)/);
    // Turning the content into an error message is refused just the same.
    const cast = await userQuery(`SELECT pg_read_file('${file}')::int`);
    expectRefused(cast, /permission denied for function pg_read_file/);
    const hostname = await userQuery(`SELECT pg_read_file('/etc/hostname')`);
    expectRefused(hostname, /permission denied for function pg_read_file/);
    for (const record of [plain, cast, hostname]) expect(JSON.stringify(record)).not.toContain(secret);
  });

  it('pg_terminate_backend cannot end another session', async () => {
    const { rows } = await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const record = await userQuery('SELECT pg_terminate_backend($1::int)', [rows[0]!.pid]);
    expectRefused(record, /permission denied for function pg_terminate_backend \(SQLSTATE 42501\)/);
    expect((await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid).toBe(rows[0]!.pid);
  });

  it('a session advisory lock is refused and none is held after the run', async () => {
    const record = await userQuery('SELECT pg_advisory_lock(424242)');
    expectRefused(record, /permission denied for function pg_advisory_lock \(SQLSTATE 42501\)/);
    const held = await admin.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 424242`);
    expect(held.rowCount).toBe(0);
    // And no connection of the run is left open.
    const left = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE usename = 'tunebench_query'`);
    expect(left.rowCount).toBe(0);
  });

  it('SET TRANSACTION READ WRITE is refused, so the transaction stays read-only', async () => {
    const record = await userQuery('SET TRANSACTION READ WRITE');
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('TB_DB_QUERY');
    expect(record.error?.message).toBe(
      'Query failed: transaction read-write mode must be set before any query (SQLSTATE 25001)',
    );
    const viaFunction = await userQuery(`SELECT set_config('transaction_read_only', 'off', true)`);
    expect(viaFunction.error?.message).toContain('transaction read-write mode must be set before any query');
  });

  it('reading Tunebench\'s own tables still works, and nothing else is granted', async () => {
    const seeded = await started.engine.call('runs.start', {
      spec: { kind: 'db', workload: { type: 'pointSelect', rows: 50 }, operations: 5, concurrency: 1 },
    });
    await started.engine.runs.wait(seeded.runId);
    const read = await userQuery('SELECT count(*) FROM tunebench.items WHERE id <= $1', [10]);
    expect(read.status).toBe('completed');
    expect(read.summary.operations?.value).toBe(3);
    const { rows } = await admin.query<{ privileges: string[] }>(
      `SELECT array_agg(DISTINCT privilege_type::text) AS privileges FROM information_schema.role_table_grants WHERE grantee = 'tunebench_query'`,
    );
    expect(rows[0]!.privileges).toEqual(['SELECT']);
    const role = await admin.query(
      `SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'tunebench_query'`,
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false });
    expect((await admin.query(`SELECT 1 FROM pg_auth_members WHERE member = 'tunebench_query'::regrole`)).rowCount).toBe(0);
  });

  it('server error texts are bounded before they reach a record', async () => {
    const long = 'x'.repeat(5_000);
    const record = await userQuery('SELECT $1::int', [long]);
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/^Query failed: invalid input syntax for type integer: "x{64}…" \(SQLSTATE 22P02\)$/);
    expect(serverTexts(record)).not.toContain('x'.repeat(65));
  });
});
