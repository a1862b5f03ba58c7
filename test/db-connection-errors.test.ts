import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentedPool } from '../src/main/engine/kinds/db/instrumented-pool.js';
import { DbPoolSettingsSchema } from '../src/shared/specs/db.js';
import { startTestDb, TestDb } from './fixtures/embedded-db.js';

let db: TestDb;

beforeAll(async () => {
  db = await startTestDb('db-errors');
});
afterAll(async () => {
  await db?.dispose();
});

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A port that accepts TCP but never answers: connecting can only end by the client's own timeout. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const profile = (fields: Record<string, unknown>) => ({
  id: 'probe',
  name: 'probe',
  host: '127.0.0.1',
  database: 'postgres',
  user: 'postgres',
  ...fields,
});

describe('connection errors', () => {
  it('a wrong password names the authentication failure and the target, never the password', async () => {
    const attempt = db.service.testConnection({
      profile: profile({ port: db.target.config.port, password: 'not-the-password' }),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'TB_DB_CONNECTION' });
    const error = (await attempt.catch((thrown: unknown) => thrown)) as Error;
    expect(error.message).toContain('password authentication failed for user "postgres"');
    expect(error.message).toContain(`postgres@127.0.0.1:${db.target.config.port}/postgres`);
    expect(error.message).not.toContain('not-the-password');
  });

  it('a closed port reports the refused connection', async () => {
    const port = await closedPort();
    await expect(db.service.testConnection({ profile: profile({ port }) })).rejects.toMatchObject({
      code: 'TB_DB_CONNECTION',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('a host that never answers fails by connectionTimeoutMillis instead of hanging', async () => {
    const silent = await silentServer();
    const connectionTimeoutMillis = 500;
    const pool = new InstrumentedPool({
      target: {
        config: { host: '127.0.0.1', port: silent.port, user: 'x', database: 'x', password: 'x' },
        label: 'x',
        embedded: false,
      },
      settings: DbPoolSettingsSchema.parse({ max: 1, connectionTimeoutMillis }),
      slowQueryMs: 1_000,
    });
    try {
      const startedAt = performance.now();
      await expect(pool.query('SELECT 1')).rejects.toThrow(/timeout/i);
      // Generous bound: the point is that the setting ends the wait, not how fast.
      expect(performance.now() - startedAt).toBeLessThan(connectionTimeoutMillis * 10);
      expect(pool.totals().errors).toBe(1);
    } finally {
      await pool.end();
      await silent.close();
    }
  });

  it('refuses a pool that would wait forever for a connection', () => {
    expect(() =>
      new InstrumentedPool({
        target: db.target,
        settings: { ...DbPoolSettingsSchema.parse({}), connectionTimeoutMillis: 0 },
        slowQueryMs: 1,
      }),
    ).toThrow('connectionTimeoutMillis must be greater than 0 (0 would wait forever)');
    expect(DbPoolSettingsSchema.safeParse({ connectionTimeoutMillis: 0 }).success).toBe(false);
  });

  it('a client whose query timed out client-side is discarded, not reused', async () => {
    const pool = new InstrumentedPool({
      target: db.target,
      settings: DbPoolSettingsSchema.parse({ max: 1, queryTimeoutMs: 100 }),
      slowQueryMs: 1_000,
    });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toThrow('Query read timeout');
      const after = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(after.rows[0]!.pid).not.toBe(rows[0]!.pid);
    } finally {
      await pool.end();
    }
  });
});
