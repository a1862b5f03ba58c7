import type pg from 'pg';
import type { RecordTable } from '../../../../shared/run-record.js';
import { normalizeQuery } from './normalize.js';
import type { QueryStat } from './query-stats.js';
import { round } from './query-stats.js';

interface StatementCounters {
  query: string;
  calls: number;
  totalMs: number;
}

/** pg_stat_statements rows of the current database, keyed by user and queryid; undefined when the view is not there. */
export type StatementsSnapshot = Map<string, StatementCounters> | undefined;

const INSTALLED_SQL = `SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`;
// One row per user and queryid (track = all can add a nested-level row of the same id).
const SNAPSHOT_SQL = `SELECT userid::text || ':' || queryid::text AS id, min(query) AS query,
       sum(calls)::text AS calls, sum(total_exec_time) AS total
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
GROUP BY userid, queryid`;

/**
 * Reads pg_stat_statements for the current database. Never resets it: the
 * user's statistics are theirs; a run compares two snapshots instead.
 */
export async function snapshotStatements(admin: pg.Client): Promise<StatementsSnapshot> {
  try {
    const installed = await admin.query(INSTALLED_SQL);
    if (!installed.rowCount) return undefined;
    const { rows } = await admin.query<{ id: string; query: string; calls: string; total: number }>(SNAPSHOT_SQL);
    return new Map(rows.map((row) => [row.id, { query: row.query, calls: Number(row.calls), totalMs: Number(row.total) }]));
  } catch {
    // No permission to read it, or not loaded in shared_preload_libraries: the cross-check is just unavailable.
    return undefined;
  }
}

/** The snapshot's own statements: the server counts them during the run, Tunebench's pool never sees them. */
const OWN_STATEMENTS = new Set([normalizeQuery(INSTALLED_SQL).matchHash, normalizeQuery(SNAPSHOT_SQL).matchHash]);

export const crossCheckColumns = [
  'hash',
  'query',
  'calls (Tunebench)',
  'failed (Tunebench)',
  'mean ms (Tunebench)',
  'calls (server)',
  'mean ms (server)',
  'query (server)',
  'match',
] as const;

interface Side {
  hash: string;
  text: string;
  calls: number;
  failed: number;
  totalMs: number;
  reset: boolean;
}

const NONE = '—';

/**
 * Tunebench's own numbers next to the server's: the server's are the
 * difference between the snapshots before and after the run. Rows pair by
 * NormalizedQuery.matchHash, so `id = 5` sent by Tunebench meets the server's
 * `id = $1`; every statement seen on either side gets a row, the unpaired
 * ones marked as such. The server counts only statements that completed, so
 * Tunebench's calls are compared without its failed ones.
 */
export function crossCheckTable(before: StatementsSnapshot, after: StatementsSnapshot, own: QueryStat[]): RecordTable | undefined {
  if (!before || !after) return undefined;
  const pairs = new Map<string, { own?: Side; server?: Side }>();
  const add = (key: string, side: 'own' | 'server', value: Side) => {
    const pair = pairs.get(key) ?? {};
    const existing = pair[side];
    if (existing) {
      existing.calls += value.calls;
      existing.failed += value.failed;
      existing.totalMs += value.totalMs;
      existing.reset ||= value.reset;
    } else pair[side] = { ...value };
    pairs.set(key, pair);
  };
  for (const stat of [...own].sort((a, b) => b.calls - a.calls)) {
    add(stat.matchHash, 'own', { hash: stat.hash, text: stat.text, calls: stat.calls, failed: stat.errors, totalMs: stat.totalMs, reset: false });
  }
  const server = [...after].map(([id, counters]) => {
    const previous = before.get(id);
    // Fewer calls than before: the entry was reset or evicted and made again during the run, so all it counts is from the run.
    const reset = previous !== undefined && counters.calls < previous.calls;
    const base = reset ? undefined : previous;
    return { counters, reset, calls: counters.calls - (base?.calls ?? 0), totalMs: counters.totalMs - (base?.totalMs ?? 0) };
  });
  for (const entry of server.filter((candidate) => candidate.calls > 0).sort((a, b) => b.calls - a.calls)) {
    const normalized = normalizeQuery(entry.counters.query);
    add(normalized.matchHash, 'server', {
      hash: normalized.hash,
      text: normalized.text,
      calls: entry.calls,
      failed: 0,
      totalMs: entry.totalMs,
      reset: entry.reset,
    });
  }
  const rows = [...pairs]
    .map(([key, pair]) => ({ key, ...pair, weight: Math.max(pair.own?.calls ?? 0, pair.server?.calls ?? 0) }))
    .sort((a, b) => b.weight - a.weight || (a.own?.text ?? a.server!.text).localeCompare(b.own?.text ?? b.server!.text))
    .map(({ key, own: mine, server: theirs }) => [
      (mine ?? theirs)!.hash,
      (mine ?? theirs)!.text,
      mine?.calls ?? NONE,
      mine?.failed ?? NONE,
      mine ? round(mine.calls ? mine.totalMs / mine.calls : 0) : NONE,
      theirs?.calls ?? NONE,
      theirs ? round(theirs.calls ? theirs.totalMs / theirs.calls : 0) : NONE,
      theirs?.text ?? NONE,
      matchNote(key, mine, theirs),
    ]);
  return { columns: [...crossCheckColumns], rows };
}

function matchNote(key: string, mine: Side | undefined, theirs: Side | undefined): string {
  const reset = theirs?.reset ? '; the server entry was reset during the run, its count may be short' : '';
  if (mine && theirs) {
    const completed = mine.calls - mine.failed;
    if (completed === theirs.calls) return `matched${reset}`;
    const diff = theirs.calls - completed;
    return `matched, calls differ: server ${diff > 0 ? '+' : ''}${diff} against Tunebench's ${completed} completed${reset}`;
  }
  if (mine) {
    return mine.failed === mine.calls
      ? 'Tunebench only: every call failed, and the server counts only completed statements'
      : 'Tunebench only: no server entry with this normalized text';
  }
  if (OWN_STATEMENTS.has(key)) return `server only: Tunebench's own pg_stat_statements snapshot${reset}`;
  return `server only: no Tunebench entry with this normalized text${reset}`;
}
