import type pg from 'pg';
import type { RecordTable } from '../../../shared/run-record.js';
import { normalizeQuery } from './normalize.js';
import type { QueryStat } from './query-stats.js';
import { round } from './query-stats.js';

interface StatementCounters {
  query: string;
  calls: number;
  totalMs: number;
}

/** pg_stat_statements rows of the current database, keyed by queryid; undefined when the view is not there. */
export type StatementsSnapshot = Map<string, StatementCounters> | undefined;

/**
 * Reads pg_stat_statements for the current database. Never resets it: the
 * user's statistics are theirs; a run compares two snapshots instead.
 */
export async function snapshotStatements(admin: pg.Client): Promise<StatementsSnapshot> {
  try {
    const installed = await admin.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
    if (!installed.rowCount) return undefined;
    const { rows } = await admin.query<{ queryid: string; query: string; calls: string; total: number }>(
      `SELECT queryid::text AS queryid, query, sum(calls)::text AS calls, sum(total_exec_time) AS total
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       GROUP BY queryid, query`,
    );
    return new Map(rows.map((row) => [row.queryid, { query: row.query, calls: Number(row.calls), totalMs: Number(row.total) }]));
  } catch {
    // No permission to read it, or not loaded in shared_preload_libraries: the cross-check is just unavailable.
    return undefined;
  }
}

/**
 * Tunebench's own numbers next to the server's for the same statements: the
 * server's are the difference between the snapshots before and after the run.
 */
export function crossCheckTable(before: StatementsSnapshot, after: StatementsSnapshot, own: QueryStat[]): RecordTable | undefined {
  if (!before || !after) return undefined;
  const serverByHash = new Map<string, { calls: number; totalMs: number }>();
  for (const [queryId, counters] of after) {
    const previous = before.get(queryId);
    const calls = counters.calls - (previous?.calls ?? 0);
    if (calls <= 0) continue;
    const { hash } = normalizeQuery(counters.query);
    const entry = serverByHash.get(hash) ?? { calls: 0, totalMs: 0 };
    entry.calls += calls;
    entry.totalMs += counters.totalMs - (previous?.totalMs ?? 0);
    serverByHash.set(hash, entry);
  }
  return {
    columns: ['hash', 'query', 'calls (Tunebench)', 'mean ms (Tunebench)', 'calls (server)', 'mean ms (server)'],
    rows: own
      .filter((stat) => serverByHash.has(stat.hash))
      .sort((a, b) => b.calls - a.calls)
      .map((stat) => {
        const server = serverByHash.get(stat.hash)!;
        return [
          stat.hash,
          stat.text,
          stat.calls,
          round(stat.calls ? stat.totalMs / stat.calls : 0),
          server.calls,
          round(server.calls ? server.totalMs / server.calls : 0),
        ];
      }),
  };
}
