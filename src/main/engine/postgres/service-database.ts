/**
 * A database of its own on the embedded PostgreSQL for a user's service
 * (`database: "embedded"`): role and database `tb_svc_<name>`, the role
 * owning the database and nothing else (no superuser, no server-file,
 * program or signal roles), with a fresh password at every start. The
 * service gets it as DATABASE_URL; the URL is never recorded (it holds the
 * password). The database survives between runs, so a service that seeds
 * its tables once finds them again.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DbService } from './db-service.js';
import { quoteIdent } from './connection.js';

/** The role and database name for a service: lower case, "-" as "_", within PostgreSQL's 63 bytes. */
export function serviceDatabaseName(service: string): string {
  return `tb_svc_${service.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

export async function serviceDatabaseUrl(db: DbService, service: string): Promise<string> {
  const connection = await db.embedded.start();
  const name = serviceDatabaseName(service);
  const password = randomBytes(24).toString('base64url');
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database: connection.database,
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    const role = quoteIdent(name);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    // Another run of the same service may create them at the same moment: "already exists" is fine.
    if (!exists.rowCount) await client.query(`CREATE ROLE ${role}`).catch(unlessCode('42710'));
    // The password is base64url: nothing in it needs quoting.
    await client.query(
      `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`,
    );
    const database = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!database.rowCount) await client.query(`CREATE DATABASE ${role} OWNER ${role}`).catch(unlessCode('42P04'));
  } finally {
    await client.end().catch(() => {});
  }
  return `postgres://${name}:${password}@${connection.host}:${connection.port}/${name}`;
}

function unlessCode(code: string) {
  return (error: unknown) => {
    if ((error as { code?: unknown }).code !== code) throw error;
  };
}
