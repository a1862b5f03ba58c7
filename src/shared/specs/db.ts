import { z } from 'zod';

const int = () => z.number().int();

/** Where a db run connects: the embedded server, a saved profile's id, or a postgres:// URL without password. */
export const EMBEDDED_TARGET = 'embedded';

export const DbTargetSchema = z
  .string()
  .min(1)
  .max(2_000)
  .refine((target) => !urlHasPassword(target), {
    message: 'the connection URL must not contain a password; set PGPASSWORD or save a profile instead',
  });

/** True when a postgres:// URL carries a password (which must never be stored in a spec or run record). */
export function urlHasPassword(target: string): boolean {
  const scheme = /^postgres(ql)?:\/\//i;
  if (!scheme.test(target)) return false;
  if (/[?&]password=/i.test(target)) return true;
  const authority = target.replace(scheme, '').split(/[/?#]/)[0] ?? '';
  const at = authority.lastIndexOf('@');
  if (at < 0) return false;
  const colon = authority.slice(0, at).indexOf(':');
  return colon >= 0 && colon < at - 1;
}

/** Every workload's statements are cut off after this long unless the spec says otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** node-postgres pool settings a run varies. connectionTimeoutMillis is never 0 (wait forever). */
export const DbPoolSettingsSchema = z
  .object({
    max: int().min(1).max(500).default(10),
    min: int().min(0).max(500).default(0),
    idleTimeoutMillis: int().min(0).max(3_600_000).default(10_000),
    connectionTimeoutMillis: int().min(1).max(600_000).default(5_000),
    /** Server-side limit per statement (statement_timeout); 30 s unless set; 0 = none, only when asked for. */
    statementTimeoutMs: int().min(0).max(3_600_000).default(DEFAULT_STATEMENT_TIMEOUT_MS),
    /** Client-side limit per query (pg's query_timeout); a client that hits it is discarded. 0 = none. */
    queryTimeoutMs: int().min(0).max(3_600_000).default(0),
    /** Named (server-side prepared) statements instead of unnamed ones. */
    preparedStatements: z.boolean().default(false),
  })
  .strict()
  .refine((pool) => pool.min <= pool.max, { message: 'min must not exceed max', path: ['min'] });
export type DbPoolSettings = z.infer<typeof DbPoolSettingsSchema>;

const rowsSchema = () => int().min(1).max(1_000_000);

export const PointSelectWorkloadSchema = z
  .object({ type: z.literal('pointSelect'), rows: rowsSchema().default(10_000) })
  .strict();
export const RangeScanWorkloadSchema = z
  .object({ type: z.literal('rangeScan'), rows: rowsSchema().default(10_000), limit: int().min(1).max(10_000).default(50) })
  .strict();
export const InsertWorkloadSchema = z
  .object({ type: z.literal('insert'), payloadBytes: int().min(0).max(100_000).default(100) })
  .strict();
export const BulkInsertWorkloadSchema = z
  .object({
    type: z.literal('bulkInsert'),
    /** Rows each case inserts. */
    rowsPerCase: int().min(1).max(1_000_000).default(10_000),
    chunkSizes: z.array(int().min(1).max(10_000)).min(1).max(8).default([10, 100, 1_000]),
    methods: z.array(z.enum(['insert', 'copy'])).min(1).max(2).default(['insert', 'copy']),
    payloadBytes: int().min(0).max(10_000).default(50),
  })
  .strict();
export const SerializableWorkloadSchema = z
  .object({
    type: z.literal('serializable'),
    /** Few accounts = many conflicts. */
    accounts: int().min(2).max(100_000).default(10),
    maxRetries: int().min(0).max(50).default(5),
    backoffBaseMs: z.number().min(0).max(10_000).default(2),
    backoffMaxMs: z.number().min(0).max(60_000).default(200),
  })
  .strict();
export const PreparedVsUnnamedWorkloadSchema = z
  .object({ type: z.literal('preparedVsUnnamed'), rows: rowsSchema().default(10_000) })
  .strict();
export const CachedPointSelectWorkloadSchema = z
  .object({
    type: z.literal('cachedPointSelect'),
    rows: rowsSchema().default(10_000),
    cacheTtlMs: int().min(1).max(3_600_000).default(5_000),
    cacheMaxEntries: int().min(1).max(1_000_000).default(1_000),
    /** Keys are drawn from the first keySpace ids: keySpace vs cache size sets the hit ratio. */
    keySpace: int().min(1).max(1_000_000).default(2_000),
  })
  .strict();
export const DbParamValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
/**
 * Your own SQL: one statement per operation, in a READ ONLY transaction that
 * is rolled back. READ ONLY is not a security boundary: on the embedded server
 * the SQL runs as a role that may only read Tunebench's schema; on your own
 * server it runs as the profile's role, refused if that role is a superuser or
 * may touch server files, run programs or signal sessions, unless allowPrivilegedRole.
 */
export const UserQueryWorkloadSchema = z
  .object({
    type: z.literal('userQuery'),
    sql: z.string().min(1).max(100_000),
    params: z.array(DbParamValueSchema).max(100).default([]),
    /** Run it on your server even as a superuser or a member of pg_read_server_files, pg_write_server_files, pg_execute_server_program or pg_signal_backend. */
    allowPrivilegedRole: z.boolean().default(false),
  })
  .strict();

export const DbWorkloadSchema = z.discriminatedUnion('type', [
  PointSelectWorkloadSchema,
  RangeScanWorkloadSchema,
  InsertWorkloadSchema,
  BulkInsertWorkloadSchema,
  SerializableWorkloadSchema,
  PreparedVsUnnamedWorkloadSchema,
  CachedPointSelectWorkloadSchema,
  UserQueryWorkloadSchema,
]);
export type DbWorkload = z.infer<typeof DbWorkloadSchema>;
export type DbWorkloadType = DbWorkload['type'];
export const dbWorkloadTypes = DbWorkloadSchema.options.map((option) => option.shape.type.value) as DbWorkloadType[];

export const dbWorkloadDescriptions: Record<DbWorkloadType, string> = {
  pointSelect: 'SELECT one row by primary key',
  rangeScan: 'SELECT a range of rows with ORDER BY and LIMIT',
  insert: 'INSERT one row per query',
  bulkInsert: 'Insert the same rows with multi-row INSERT and COPY at several chunk sizes',
  serializable: 'Contended read-modify-write transfers at SERIALIZABLE, retried on 40001/40P01',
  preparedVsUnnamed: 'The same point select with unnamed, then named prepared statements',
  cachedPointSelect: 'Point select behind a read-through cache (TTL, size)',
  userQuery: 'Your own SQL with parameters: one statement in a rolled-back READ ONLY transaction, as a read-only role on the embedded server',
};

export const DbSpecSchema = z
  .object({
    kind: z.literal('db'),
    name: z.string().max(200).optional(),
    target: DbTargetSchema.default(EMBEDDED_TARGET),
    pool: DbPoolSettingsSchema.prefault({}),
    workload: DbWorkloadSchema,
    /** Operations kept in flight at once. */
    concurrency: int().min(1).max(1_000).default(8),
    /** The run ends after this long ... */
    durationSec: z.number().min(0.1).max(3_600).default(5),
    /** ... or after this many operations, whichever comes first (0 = no count limit). */
    operations: int().min(0).max(100_000_000).default(0),
    /**
     * Seconds the first timed phase runs before the measured window (caches,
     * plans and connections settle), left out of the summary and the query
     * statistics; 0: none. The example and the Database page start from 1.
     */
    warmupSec: z.number().min(0).max(600).default(0),
    /** Seeds the data and the key choice so two runs do the same work. */
    seed: int().min(0).max(2 ** 31).default(1),
    sampleIntervalMs: int().min(50).max(5_000).default(250),
    /** Queries slower than this go to the slow-query log. */
    slowQueryMs: z.number().min(0).max(3_600_000).default(50),
  })
  .strict();
export type DbSpec = z.infer<typeof DbSpecSchema>;
export type DbSpecInput = z.input<typeof DbSpecSchema>;

export const exampleDbSpec: DbSpecInput = {
  kind: 'db',
  name: 'point select on the embedded server',
  target: EMBEDDED_TARGET,
  pool: { max: 10, connectionTimeoutMillis: 5_000 },
  workload: { type: 'pointSelect', rows: 10_000 },
  concurrency: 8,
  durationSec: 5,
  warmupSec: 1,
};

/* ---- connection profiles (passwords never appear in these shapes' outputs) ---- */

/** disable: plain TCP; require: TLS without checking the certificate; verify-full: TLS with a verified certificate and host name. */
export const SslModeSchema = z.enum(['disable', 'require', 'verify-full']);
export type SslMode = z.infer<typeof SslModeSchema>;

const profileIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'must be letters, digits, _ or -')
  .refine((id) => id !== EMBEDDED_TARGET, { message: `"${EMBEDDED_TARGET}" is reserved for the embedded server` });

/** A saved connection profile as stored and shown: never a password. */
export const DbProfileSchema = z
  .object({
    id: profileIdSchema,
    name: z.string().min(1).max(200),
    host: z.string().min(1).max(255),
    port: int().min(1).max(65_535).default(5432),
    database: z.string().min(1).max(63),
    user: z.string().min(1).max(63),
    sslMode: SslModeSchema.default('disable'),
    applicationName: z.string().max(63).default('tunebench'),
  })
  .strict();
export type DbProfile = z.infer<typeof DbProfileSchema>;

/** What the UI sends to save a profile: the fields, or a URL; a password goes to the secret store only. */
export const DbProfileInputSchema = z
  .object({
    id: profileIdSchema,
    name: z.string().min(1).max(200),
    url: z.string().max(2_000).optional(),
    host: z.string().min(1).max(255).optional(),
    port: int().min(1).max(65_535).optional(),
    database: z.string().min(1).max(63).optional(),
    user: z.string().min(1).max(63).optional(),
    sslMode: SslModeSchema.optional(),
    applicationName: z.string().max(63).optional(),
    password: z.string().max(1_000).optional(),
  })
  .strict();
export type DbProfileInput = z.infer<typeof DbProfileInputSchema>;

/** A profile as listed: whether a password is kept, never the password. */
export const DbProfileViewSchema = DbProfileSchema.extend({ hasPassword: z.boolean() });
export type DbProfileView = z.infer<typeof DbProfileViewSchema>;

/** Names of the tables a db run produces. */
export const dbTableNames = {
  queryStats: 'queryStats',
  slowQueries: 'slowQueries',
  pgStatStatements: 'pgStatStatements',
  cases: 'cases',
} as const;
