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
let admin: pg.Client;
let port: number;
let scratch: string;
const PASSWORD = 'Role-pass-5521';

beforeAll(async () => {
  started = await startTestEngine('db-user-sql-roles');
  const { engine } = started;
  const embedded = await engine.db.embedded.start();
  port = embedded.port;
  admin = await connectClient(await engine.db.resolve('embedded'), 5_000);
  // The embedded server stands in for a user's own server, with roles of every kind.
  await admin.query(`CREATE ROLE tb_plain LOGIN PASSWORD '${PASSWORD}'`);
  await admin.query(`CREATE ROLE tb_signal LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_signal_backend`);
  await admin.query(`CREATE ROLE tb_files LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_read_server_files, pg_execute_server_program`);
  // On a user's server anyone may take session advisory locks (Tunebench's embedded server takes that away).
  await admin.query('GRANT EXECUTE ON FUNCTION pg_advisory_lock(bigint) TO tb_plain');
  const profile = (id: string, user: string, password: string) =>
    engine.call('db.profiles.save', { profile: { id, name: id, host: '127.0.0.1', port, database: 'postgres', user, password } });
  await profile('super', 'postgres', embedded.password);
  await profile('plain', 'tb_plain', PASSWORD);
  await profile('signal', 'tb_signal', PASSWORD);
  await profile('files', 'tb_files', PASSWORD);
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-user-sql-roles-'));
  await fs.chmod(scratch, 0o755);
});
afterAll(async () => {
  await admin?.end();
  await started?.dispose();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function userQuery(target: string, workload: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<RunRecord> {
  const { runId } = await started.engine.call('runs.start', {
    spec: { kind: 'db', target, workload: { type: 'userQuery', ...workload }, operations: 3, concurrency: 1, durationSec: 20, ...extra },
  });
  return (await started.engine.runs.wait(runId)) ?? (await started.engine.call('runs.get', { runId })).run;
}

describe('user SQL on a user\'s server', () => {
  it('is refused as a superuser or a member of the server-file, program and signal roles, naming what and how to confirm', async () => {
    const asSuper = await userQuery('super', { sql: 'SELECT 1' });
    expect(asSuper.status).toBe('failed');
    expect(asSuper.error?.code).toBe('TB_DB_PRIVILEGED_ROLE');
    expect(asSuper.error?.message).toBe(
      `Refusing to run your SQL on postgres@127.0.0.1:${port}/postgres as role "postgres", which is a superuser; a READ ONLY transaction does not stop such a role from reading server files, running programs or ending other sessions. Connect as a role without these privileges, or confirm with "allowPrivilegedRole": true in the workload (the "Run my SQL as this privileged role" checkbox on the Database page)`,
    );
    expect(asSuper.summary.queries).toBeUndefined();

    const asSignal = await userQuery('signal', { sql: 'SELECT 1' });
    expect(asSignal.error?.message).toContain('as role "tb_signal", which is a member of pg_signal_backend;');
    const asFiles = await userQuery('files', { sql: 'SELECT 1' });
    expect(asFiles.error?.message).toContain('which is a member of pg_execute_server_program and pg_read_server_files;');
  });

  it('runs as a privileged role only when confirmed, and says so in the record', async () => {
    const record = await userQuery('super', { sql: 'SELECT 1', allowPrivilegedRole: true });
    expect(record.status).toBe('completed');
    expect(record.environment.extra?.userSqlRole).toBe('postgres (is a superuser; confirmed)');
    expect(record.events.some((event) => event.type === 'privileged-role' && event.message.includes('confirmed with allowPrivilegedRole'))).toBe(
      true,
    );
  });

  it('keeps file contents out of the record beyond a short, bounded message, even as a confirmed superuser', async () => {
    const head = `HEAD${randomBytes(4).toString('hex')}`;
    const tail = `TAIL${randomBytes(4).toString('hex')}`;
    const file = path.join(scratch, 'content.txt');
    await fs.writeFile(file, `${head}${'y'.repeat(3_000)}${tail}`, { mode: 0o644 });
    const record = await userQuery('super', { sql: `SELECT pg_read_file('${file}')::int`, allowPrivilegedRole: true });
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/^Query failed: invalid input syntax for type integer: "HEAD\w{8}y{52}…" \(SQLSTATE 22P02\)$/);
    expect(JSON.stringify(record)).not.toContain(tail);
    expect(JSON.stringify(record)).not.toContain('y'.repeat(60));
  });

  it('runs as a plain role without asking; its session advisory lock dies with the run, and a blocked statement hits the timeout', async () => {
    const record = await userQuery(
      'plain',
      { sql: 'SELECT pg_advisory_lock(777)' },
      { concurrency: 2, operations: 0, durationSec: 1.5, pool: { statementTimeoutMs: 300 } },
    );
    expect(record.status).toBe('completed');
    expect(record.environment.extra?.userSqlRole).toBe('tb_plain');
    // The second connection waits for the first one's lock until statement_timeout cancels it.
    expect(record.tables?.errors?.rows.some((row) => String(row[0]).includes('canceling statement due to statement timeout'))).toBe(true);
    const held = await admin.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 777`);
    expect(held.rowCount).toBe(0);
    const left = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE usename = 'tb_plain'`);
    expect(left.rowCount).toBe(0);
  });
});
