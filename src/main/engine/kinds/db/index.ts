/**
 * The database side of the engine as one module: the engine uses its parts
 * directly; the build also emits it as out/main/db.js for bench/db.bench.mjs.
 */
export { connectClient, describePgError, TUNEBENCH_SCHEMA, type ResolvedTarget } from '../../postgres/connection.js';
export { createDbKind, DB_SERIES } from './db-kind.js';
export { DbService, type ConnectionTestResult } from '../../postgres/db-service.js';
export { EmbeddedServer, type EmbeddedConnection, type EmbeddedStatus } from '../../postgres/embedded-server.js';
export { InstrumentedPool, type InstrumentedClient, type PoolGauges } from './instrumented-pool.js';
export { normalizeQuery } from './normalize.js';
export { EncryptedFileSecretStore, MemorySecretStore, type SecretCipher, type SecretStore } from '../../postgres/secret-store.js';
export { createWorkload, POINT_SELECT_SQL } from './workloads.js';
