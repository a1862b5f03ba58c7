import path from 'node:path';
import { TunebenchError } from '../../../shared/errors.js';
import type { RecordTable } from '../../../shared/run-record.js';
import { DbProfileInput, DbProfileView, EMBEDDED_TARGET, urlHasPassword } from '../../../shared/specs/db.js';
import type { ChildRegistry } from '../processes/child-registry.js';
import type { Disposable } from '../disposable.js';
import {
  boundedErrorText,
  connectClient,
  parseConnectionUrl,
  pgPasswordFor,
  quoteIdent,
  ResolvedTarget,
  toResolvedTarget,
  TUNEBENCH_SCHEMA,
} from './connection.js';
import { EmbeddedServer, EmbeddedStatus } from './embedded-server.js';
import { ProfileStore, profileFromInput } from './profiles.js';
import { MemorySecretStore, SecretStore } from './secret-store.js';

export interface DbServiceOptions {
  dataDir: string;
  /** Where passwords live; the Electron shell passes a safeStorage-backed one. */
  secrets?: SecretStore;
  /** Fixed port for the embedded server (tests); 0 or absent picks a free one. */
  embeddedPort?: number;
  /** The engine's child registry: the embedded server's watchdog is one of its children. */
  children?: ChildRegistry;
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /**
   * The environment PGPASSWORD (with PGHOST, PGPORT, PGUSER and
   * TUNEBENCH_PGPASSWORD_ANY_HOST) is read from; it applies only to the server those name.
   */
  env?: NodeJS.ProcessEnv;
}

export interface ConnectionTestResult {
  target: string;
  serverVersion: string;
  /** Time to open the connection (TCP, TLS, authentication). */
  connectMs: number;
  /** One SELECT 1 round trip on the open connection. */
  roundTripMs: number;
  pgStatStatements: boolean;
}

/** What a test-connection call may name: the embedded server, a saved profile, or unsaved profile input. */
export type ConnectionRequest = { target: string } | { profile: DbProfileInput };

const TEST_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Everything database-related the engine owns: the embedded server (started
 * on first use, stopped on dispose), connection profiles and their secrets,
 * and the live tables of running db runs.
 */
export class DbService implements Disposable {
  readonly embedded: EmbeddedServer;
  readonly profiles: ProfileStore;
  readonly secrets: SecretStore;
  private readonly liveTables = new Map<string, () => Record<string, RecordTable>>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: DbServiceOptions) {
    if (!options.dataDir) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'dataDir', rule: 'a directory path' });
    this.env = options.env ?? process.env;
    this.secrets = options.secrets ?? new MemorySecretStore();
    this.profiles = new ProfileStore(options.dataDir, this.secrets);
    this.embedded = new EmbeddedServer({
      baseDir: path.join(options.dataDir, 'postgres'),
      ...(options.embeddedPort ? { port: options.embeddedPort } : {}),
      ...(options.children ? { children: options.children } : {}),
      onLog: (line) => {
        // Server log lines can quote data (an input that failed to parse): bounded like every server error text.
        if (/FATAL|PANIC|ERROR/.test(line)) options.onLog?.('warn', `postgres: ${boundedErrorText(line)}`);
      },
    });
  }

  /** Turns a spec's target (embedded, profile id, or password-free URL) into a connection. */
  async resolve(target: string): Promise<ResolvedTarget> {
    if (target === EMBEDDED_TARGET) {
      const connection = await this.embedded.start();
      return toResolvedTarget(
        { ...connection, sslMode: 'disable', applicationName: 'tunebench' },
        connection.password,
        true,
      );
    }
    if (/^postgres(ql)?:\/\//i.test(target)) {
      if (urlHasPassword(target)) {
        throw new TunebenchError('TB_DB_URL_INVALID', {
          problem: 'must not contain a password; set PGPASSWORD or save a profile instead',
        });
      }
      const { fields } = parseConnectionUrl(target);
      return toResolvedTarget(fields, pgPasswordFor(fields, this.env));
    }
    const profile = await this.profiles.get(target);
    // The profiles file is read back as untrusted: its password goes only where it is bound.
    const stored = await this.profiles.passwordFor(profile.id, profile);
    return toResolvedTarget(profile, stored ?? pgPasswordFor(profile, this.env));
  }

  /**
   * Where user SQL connects on the embedded server: the same server, as its
   * restricted query role (see EmbeddedServer), never as the superuser.
   */
  async embeddedQueryTarget(): Promise<ResolvedTarget> {
    const connection = await this.embedded.start();
    return toResolvedTarget(
      { ...connection, user: connection.queryRole.user, sslMode: 'disable', applicationName: 'tunebench' },
      connection.queryRole.password,
      true,
    );
  }

  async listProfiles(): Promise<DbProfileView[]> {
    return this.profiles.list();
  }

  /** Connects once and reports server version and latency, or the exact reason it could not. */
  async testConnection(request: ConnectionRequest): Promise<ConnectionTestResult> {
    const target = await this.resolveRequest(request);
    const started = performance.now();
    const client = await connectClient(target, TEST_CONNECT_TIMEOUT_MS);
    try {
      const connectMs = performance.now() - started;
      const roundTripStarted = performance.now();
      await client.query('SELECT 1');
      const roundTripMs = performance.now() - roundTripStarted;
      const { rows } = await client.query<{ server_version: string; statements: boolean }>(
        `SELECT current_setting('server_version') AS server_version,
                EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS statements`,
      );
      return {
        target: target.label,
        serverVersion: rows[0]?.server_version ?? 'unknown',
        connectMs: Math.round(connectMs * 10) / 10,
        roundTripMs: Math.round(roundTripMs * 100) / 100,
        pgStatStatements: rows[0]?.statements ?? false,
      };
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Drops Tunebench's own schema (and only it) on a target; returns whether it existed. */
  async dropSchema(target: string): Promise<{ target: string; dropped: boolean }> {
    const resolved = await this.resolve(target);
    const client = await connectClient(resolved, TEST_CONNECT_TIMEOUT_MS);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [TUNEBENCH_SCHEMA]);
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(TUNEBENCH_SCHEMA)} CASCADE`);
      return { target: resolved.label, dropped: (rowCount ?? 0) > 0 };
    } finally {
      await client.end().catch(() => {});
    }
  }

  embeddedStatus(): EmbeddedStatus {
    return this.embedded.status();
  }

  /** A running db run publishes its tables here so the UI can show them before the run ends. */
  publishLiveTables(runId: string, tables: () => Record<string, RecordTable>): () => void {
    this.liveTables.set(runId, tables);
    return () => this.liveTables.delete(runId);
  }

  liveTablesOf(runId: string): Record<string, RecordTable> | undefined {
    return this.liveTables.get(runId)?.();
  }

  async dispose(): Promise<void> {
    this.liveTables.clear();
    await this.embedded.dispose();
  }

  private async resolveRequest(request: ConnectionRequest): Promise<ResolvedTarget> {
    if ('target' in request) return this.resolve(request.target);
    const { profile, password } = profileFromInput(request.profile);
    // Naming a saved profile's id lends its password only to the same host, port, user, database and TLS mode.
    const stored = password ?? (await this.profiles.passwordFor(profile.id, profile));
    return toResolvedTarget(profile, stored ?? pgPasswordFor(profile, this.env));
  }
}
