import os from 'node:os';
import pg from 'pg';
import { TunebenchError } from '../../../shared/errors.js';
import type { DbProfile, SslMode } from '../../../shared/specs/db.js';

/** The schema Tunebench creates its tables in; it never touches any other. */
export const TUNEBENCH_SCHEMA = 'tunebench';

/** A resolved place to connect: the config (which may hold a password) and a label safe to show and record. */
export interface ResolvedTarget {
  config: pg.ClientConfig;
  /** user@host:port/database: never a password. */
  label: string;
  embedded: boolean;
}

export type ConnectionFields = Pick<DbProfile, 'host' | 'port' | 'database' | 'user' | 'sslMode' | 'applicationName'>;

export function sslOption(mode: SslMode): pg.ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  return { rejectUnauthorized: mode === 'verify-full' };
}

export function targetLabel(fields: Pick<ConnectionFields, 'host' | 'port' | 'database' | 'user'>): string {
  const host = fields.host.includes(':') ? `[${fields.host}]` : fields.host;
  return `${fields.user}@${host}:${fields.port}/${fields.database}`;
}

/** The hosts a password may reach over plain TCP: this machine only (a Unix socket path counts as local too). */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export function isLoopbackHost(host: string): boolean {
  if (host.startsWith('/')) return true;
  return LOOPBACK_HOSTS.includes(host.replace(/^\[|\]$/g, '').toLowerCase());
}

/**
 * Refuses, before any connection, to send a password in clear text to a host
 * other than this machine: sslmode=disable with a password is for loopback only.
 */
export function assertPasswordTransport(fields: Pick<ConnectionFields, 'host' | 'sslMode'>): void {
  if (fields.sslMode === 'disable' && !isLoopbackHost(fields.host)) {
    throw new TunebenchError('TB_DB_CLEARTEXT_PASSWORD', { host: fields.host });
  }
}

/** Why a connection has no password, for the error pg raises if the server asks for one anyway. */
const NO_PASSWORD =
  'the server asked for a password, but none is set for this target (save it with the profile, or set PGPASSWORD together with PGHOST, PGPORT and PGUSER naming this server)';

/**
 * pg's password option as a function, always. Given a string (or nothing),
 * pg falls back to process.env.PGPASSWORD and ~/.pgpass and would send them to
 * whatever host the target names; a function is the only source it asks.
 */
function passwordOption(password: string | undefined): () => string {
  return () => {
    if (password === undefined) throw new Error(NO_PASSWORD);
    return password;
  };
}

export function toResolvedTarget(fields: ConnectionFields, password: string | undefined, embedded = false): ResolvedTarget {
  if (password !== undefined) assertPasswordTransport(fields);
  return {
    config: {
      host: fields.host,
      port: fields.port,
      database: fields.database,
      user: fields.user,
      password: passwordOption(password),
      ssl: sslOption(fields.sslMode),
      application_name: fields.applicationName,
    },
    label: targetLabel(fields),
    embedded,
  };
}

/** Compares host names as PostgreSQL clients do, treating every name of this machine as the same host. */
function sameHost(a: string, b: string): boolean {
  const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare(a) === bare(b) || (isLoopbackHost(a) && isLoopbackHost(b));
}

function osUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

/** Set to 1 by the person running Tunebench to send PGPASSWORD to whatever server a target names. */
export const PGPASSWORD_ANY_HOST_ENV = 'TUNEBENCH_PGPASSWORD_ANY_HOST';

/**
 * PGPASSWORD, only for the server it was set for: host, port and user must
 * match PGHOST, PGPORT and PGUSER (defaults: this machine, 5432, the OS
 * user), unless TUNEBENCH_PGPASSWORD_ANY_HOST=1 says otherwise.
 */
export function pgPasswordFor(
  fields: Pick<ConnectionFields, 'host' | 'port' | 'user'>,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const password = env.PGPASSWORD;
  if (!password) return undefined;
  if (env[PGPASSWORD_ANY_HOST_ENV] === '1') return password;
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  const hosts = list(env.PGHOST);
  const ports = list(env.PGPORT).map(Number);
  const user = env.PGUSER || osUserName();
  const hostMatches = hosts.length ? hosts.some((host) => sameHost(host, fields.host)) : isLoopbackHost(fields.host);
  const portMatches = ports.length ? ports.includes(fields.port) : fields.port === 5432;
  return hostMatches && portMatches && user === fields.user ? password : undefined;
}

const SUPPORTED_URL_PARAMETERS = new Set(['sslmode', 'application_name', 'password']);

/**
 * Splits a postgres:// URL into profile fields and its password (if any), so
 * the password can go to the secret store and nowhere else.
 */
export function parseConnectionUrl(url: string): { fields: ConnectionFields; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TunebenchError('TB_DB_URL_INVALID', { problem: 'must be a postgres:// URL, e.g. postgres://user@host:5432/db' });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TunebenchError('TB_DB_URL_INVALID', { problem: `must start with postgres:// (got ${parsed.protocol}//)` });
  }
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  // Only what is read below; anything else (sslrootcert=, sslcert=, options=) would be silently ignored, or name files to read.
  for (const key of parsed.searchParams.keys()) {
    if (!SUPPORTED_URL_PARAMETERS.has(key)) {
      throw new TunebenchError('TB_DB_URL_INVALID', {
        problem: `has a parameter "${key.slice(0, 40)}" that is not supported (supported: ${[...SUPPORTED_URL_PARAMETERS].join(', ')})`,
      });
    }
  }
  const sslParam = parsed.searchParams.get('sslmode');
  const sslMode: SslMode =
    sslParam === 'verify-full' || sslParam === 'verify-ca' ? 'verify-full' : sslParam && sslParam !== 'disable' ? 'require' : 'disable';
  const port = parsed.port ? Number(parsed.port) : 5432;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const user = decode(parsed.username);
  const database = decode(parsed.pathname.replace(/^\//, ''));
  if (!host) throw new TunebenchError('TB_DB_URL_INVALID', { problem: 'must name a host' });
  if (!user) throw new TunebenchError('TB_DB_URL_INVALID', { problem: 'must name a user (postgres://user@host/db)' });
  if (!database) throw new TunebenchError('TB_DB_URL_INVALID', { problem: 'must name a database (postgres://user@host/db)' });
  const password = parsed.password ? decode(parsed.password) : parsed.searchParams.get('password') ?? undefined;
  return {
    fields: {
      host,
      port,
      database,
      user,
      sslMode,
      applicationName: parsed.searchParams.get('application_name') ?? 'tunebench',
    },
    ...(password ? { password } : {}),
  };
}

/** A server's error text is cut to this many characters before it goes anywhere (events, tables, records, reports). */
export const MAX_ERROR_TEXT = 240;
/** A quoted value inside an error text (an input that failed to parse, say) keeps this many characters. */
export const MAX_QUOTED_VALUE = 64;

/**
 * A server's error text, bounded: its first line, each quoted value cut to
 * MAX_QUOTED_VALUE characters, the whole to MAX_ERROR_TEXT. Server errors can
 * carry data (e.g. `invalid input syntax for type integer: "<file contents>"`),
 * and their DETAIL, HINT and CONTEXT fields are never copied at all.
 */
export function boundedErrorText(text: string): string {
  const [firstLine = ''] = text.split(/\r?\n/, 1);
  const cut = firstLine.replace(/"([^"]*)"/g, (whole, inner: string) =>
    inner.length > MAX_QUOTED_VALUE ? `"${inner.slice(0, MAX_QUOTED_VALUE)}…"` : whole,
  );
  const shortened = cut.length > MAX_ERROR_TEXT ? `${cut.slice(0, MAX_ERROR_TEXT)}…` : cut;
  return firstLine.length < text.trimEnd().length && !shortened.endsWith('…') ? `${shortened} …` : shortened;
}

/** The reason a pg call failed, in one bounded line: SQLSTATE and the server's text, or the network error. */
export function describePgError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) {
    // Node tries each address of a host; the first failure names the problem well enough.
    return describePgError(error.errors[0]);
  }
  if (error instanceof Error) {
    const { code } = error as { code?: unknown };
    const message = boundedErrorText(error.message || (typeof code === 'string' ? code : 'unknown error'));
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `${message} (SQLSTATE ${code})`;
    if (typeof code === 'string' && !message.includes(code)) return `${message} (${code})`;
    return message;
  }
  return boundedErrorText(String(error));
}

/** SQLSTATE of a server error, if the error came from the server. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether an error means the connection (or the server) is gone rather than
 * one query failing: network errors, an unexpected close, class 08 and the
 * shutdown codes 57P01-57P03.
 */
export function isConnectionLost(error: unknown): boolean {
  const state = sqlState(error);
  if (state) return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03';
  if (error instanceof AggregateError) return true;
  const message = error instanceof Error ? error.message : String(error);
  const { code } = (error as { code?: unknown } | null) ?? {};
  return (
    typeof code === 'string' ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|ECONNRESET|ECONNREFUSED/i.test(
      message,
    )
  );
}

/** True for pg's client-side query timeout: that client's connection is in an unknown state and must be discarded. */
export function isClientTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/** Opens one client with a bounded connect time; failures become TB_DB_CONNECTION naming the target. */
export async function connectClient(target: ResolvedTarget, connectionTimeoutMillis: number): Promise<pg.Client> {
  const client = new pg.Client({ ...target.config, connectionTimeoutMillis });
  // A server that goes away while this client is idle must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw new TunebenchError('TB_DB_CONNECTION', { target: target.label, detail: describePgError(error) });
  }
}

/** Quotes an identifier for SQL text (values always go as parameters). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A table in Tunebench's own schema, quoted. */
export function schemaTable(table: string): string {
  return `${quoteIdent(TUNEBENCH_SCHEMA)}.${quoteIdent(table)}`;
}
