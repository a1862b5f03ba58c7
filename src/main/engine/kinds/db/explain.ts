import type pg from 'pg';
import { TunebenchError } from '../../../../shared/errors.js';
import { readExplainJson, type QueryPlan } from '../../../../shared/query-plan.js';
import { xorshift32 } from '../../../../shared/random.js';
import type { RunRecord } from '../../../../shared/run-record.js';
import { DbSpecSchema, dbTableNames, type DbSpec } from '../../../../shared/specs/db.js';
import { connectClient, describePgError, type ResolvedTarget } from '../../postgres/connection.js';
import type { DbService } from '../../postgres/db-service.js';
import { normalizeQuery } from './normalize.js';
import { USER_QUERY_BEGIN_SQL, createWorkload, type StatementSample } from './workloads.js';
import { userSqlTarget } from './user-sql.js';

/** Every EXPLAIN gets at most this long on the server (it runs the statement on the embedded one). */
export const EXPLAIN_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** A sample value is shown at most this long (a 1 KB payload is not worth reading). */
const MAX_VALUE_TEXT = 40;

export interface ExplainResult {
  runId: string;
  hash: string;
  /** The statement as the run's query statistics have it (normalized). */
  statement: string;
  target: string;
  /** The sample values it ran or was planned with, "$1 = 1234". */
  values: string[];
  /** What ran: "EXPLAIN (ANALYZE, BUFFERS)" on the embedded server, "EXPLAIN" on a user's. */
  command: string;
  /** The role it ran as, when that is not the server's owner (your SQL on the embedded server). */
  role?: string;
  plan: QueryPlan;
}

function describeValue(value: unknown, index: number): string {
  const text = value === null ? 'NULL' : typeof value === 'string' ? `'${value}'` : String(value);
  return `$${index + 1} = ${text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT)}…` : text}`;
}

/** The statement of a run's query statistics with this hash (normalized text). */
function statementOf(record: RunRecord, hash: string): string {
  const table = record.tables?.[dbTableNames.queryStats];
  const hashAt = table?.columns.indexOf('hash') ?? -1;
  const queryAt = table?.columns.indexOf('query') ?? -1;
  const row = hashAt >= 0 && queryAt >= 0 ? table!.rows.find((candidate) => candidate[hashAt] === hash) : undefined;
  if (!row) throw new TunebenchError('TB_STATEMENT_NOT_FOUND', { id: record.id, hash });
  return String(row[queryAt]);
}

/**
 * The workload's own statement with this hash, with values drawn by the
 * workload's rules from the run's seed: the statement the run sent, with
 * values like those it used (none are ever recorded).
 */
function sampleFor(spec: DbSpec, hash: string): StatementSample {
  const samples = createWorkload(spec.workload).samples?.(xorshift32(spec.seed)) ?? [];
  const sample = samples.find((candidate) => normalizeQuery(candidate.sql).hash === hash);
  if (!sample) {
    throw new TunebenchError('TB_STATEMENT_NOT_PLANNABLE', { workload: spec.workload.type, hash });
  }
  return sample;
}

/**
 * The plan of one statement of a saved db run, on the server the run used.
 * The embedded server is Tunebench's own: the statement runs, EXPLAIN (ANALYZE,
 * BUFFERS), inside a transaction that is rolled back (an INSERT leaves nothing),
 * with a statement timeout, and your SQL there runs as the restricted query
 * role in a READ ONLY transaction as in the run. A user's server is only
 * planned (EXPLAIN): nothing of yours runs there but the planner, your SQL as
 * the profile's role under the same role check as the run.
 */
export async function explainRunStatement(service: DbService, record: RunRecord, hash: string): Promise<ExplainResult> {
  if (record.kind !== 'db') throw new TunebenchError('TB_RUN_WRONG_KIND', { id: record.id, kind: record.kind, expected: 'db' });
  const parsed = DbSpecSchema.safeParse(record.spec);
  if (!parsed.success) throw new TunebenchError('TB_RUN_SPEC_UNREADABLE', { id: record.id, kind: 'db' });
  const spec = parsed.data;
  const statement = statementOf(record, hash);
  const sample = sampleFor(spec, hash);
  const target = await service.resolve(spec.target);
  const analyze = target.embedded;
  const userSql = spec.workload.type === 'userQuery';
  const admin = await connectClient(target, CONNECT_TIMEOUT_MS);
  let client = admin;
  let role: string | undefined;
  try {
    let where: ResolvedTarget = target;
    if (userSql) {
      const sql = await userSqlTarget({
        target,
        admin,
        embeddedQueryTarget: () => service.embeddedQueryTarget(),
        allowPrivilegedRole: spec.workload.type === 'userQuery' && spec.workload.allowPrivilegedRole,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
      where = sql.target;
      role = sql.roleNote;
      client = await connectClient(where, CONNECT_TIMEOUT_MS);
    }
    const command = analyze ? 'EXPLAIN (ANALYZE, BUFFERS)' : 'EXPLAIN';
    const options = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON';
    const json = await explainInTransaction(client, `EXPLAIN (${options}) ${sample.sql}`, sample.values, userSql);
    return {
      runId: record.id,
      hash,
      statement,
      target: target.label,
      values: sample.values.map(describeValue),
      command,
      ...(role ? { role } : {}),
      plan: readExplainJson(json),
    };
  } finally {
    if (client !== admin) await client.end().catch(() => {});
    await admin.end().catch(() => {});
  }
}

/** EXPLAIN in a transaction that is always rolled back, with a statement timeout; user SQL read-only and as one statement. */
async function explainInTransaction(client: pg.Client, sql: string, values: unknown[], userSql: boolean): Promise<unknown> {
  await client.query(userSql ? USER_QUERY_BEGIN_SQL : 'BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = ${EXPLAIN_TIMEOUT_MS}`);
    // The extended protocol takes one statement only: a second one in user SQL is refused, never run.
    // queryMode is pg's (8.x) but missing from @types/pg.
    const config: pg.QueryConfig & { queryMode?: 'extended' } = { text: sql, values, queryMode: 'extended' };
    const result = await client.query<Record<string, unknown>>(config);
    const cell = result.rows[0] ? Object.values(result.rows[0])[0] : undefined;
    return typeof cell === 'string' ? (JSON.parse(cell) as unknown) : cell;
  } catch (error) {
    throw new TunebenchError('TB_DB_QUERY', { detail: describePgError(error) });
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}
