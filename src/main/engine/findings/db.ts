/**
 * Findings of a db run: the pool is the bottleneck, client time far above
 * server time, slow queries by statement with their share of total time,
 * serialization retries.
 */
import type { Finding } from '../../../shared/findings.js';
import { dbTableNames } from '../../../shared/specs/db.js';
import { doublingSteps, evidence, metric, num, numberSetting, plural, runEndMs, series, stretchWhere, tableRows, type FindingRule } from './rule.js';

/** Client time this many times the server's, and at least CLIENT_GAP_MIN_MS more a query, is not the query's. */
export const CLIENT_OVER_SERVER_MIN = 3;
const CLIENT_GAP_MIN_MS = 0.2;
/** Above this gap a query the finding is a warning rather than a note. */
const CLIENT_GAP_WARNING_MS = 1;
/** Retries per committed transaction that count as many. */
export const RETRIES_PER_COMMIT_MIN = 0.05;
/** Slow queries under this share of all queries are outliers: a note, not a warning. */
const SLOW_SHARE_WARNING = 0.01;

const short = (text: string, length = 80) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** All clients busy, operations waiting for one, and acquiring a client takes longer than the queries. */
export const poolBottleneck: FindingRule = (input) => {
  const acquire = metric(input, 'acquireP95');
  const query = metric(input, 'latencyP95');
  const waiting = series(input, 'poolWaiting');
  if (acquire === undefined || query === undefined || !waiting || acquire <= query) return undefined;
  const waited = waiting.v.filter((value) => value > 0).length;
  if (waited === 0) return undefined;
  const meanWaiting = waiting.v.reduce((sum, value) => sum + value, 0) / waiting.v.length;
  const idle = series(input, 'poolIdle');
  const allBusy = idle ? idle.v.filter((value) => value === 0).length / idle.v.length : undefined;
  const max = numberSetting(input.spec, 'pool.max');
  const concurrency = numberSetting(input.spec, 'concurrency');
  const sizes = max !== undefined && concurrency !== undefined && max < concurrency ? doublingSteps(max, concurrency) : undefined;
  return {
    id: 'db.pool-bottleneck',
    severity: 'warning',
    title:
      `The pool is the bottleneck: ${max === undefined ? '' : max === 1 ? 'its one client was busy and ' : `all ${num(max)} clients were busy and `}` +
      `about ${num(meanWaiting)} operations waited for one; acquiring a client took ${num(acquire)} ms (p95), longer than the queries (${num(query)} ms).`,
    evidence: [
      evidence('acquire wait p95', acquire, 'ms'),
      evidence('query p95', query, 'ms'),
      evidence('waiting for a client, mean', meanWaiting, 'count'),
      ...(allBusy !== undefined ? [evidence('samples with no idle client', allBusy, 'ratio')] : []),
      ...(max !== undefined ? [evidence('pool size', max, 'count')] : []),
      ...(concurrency !== undefined ? [evidence('operations in flight', concurrency, 'count')] : []),
    ],
    range: stretchWhere(waiting, (value) => value > 0) ?? { fromMs: 0, toMs: runEndMs(input) },
    ...(sizes ? { tryNext: { action: 'sweep' as const, label: `Sweep the pool size over ${sizes.join(', ')}`, axis: { path: 'pool.max', values: sizes } } } : {}),
  };
};

/** The pg_stat_statements cross-check: Tunebench's time a query far above the server's is the driver, the network or the event loop. */
export const clientOverServer: FindingRule = (input, context) => {
  if (context.live) return undefined;
  // Statements that failed are left out: the server counts only completed ones, and a failed one's time (a lock wait) is the server's too.
  const rows = tableRows(input.tables?.[dbTableNames.pgStatStatements]).filter(
    (row) =>
      typeof row['calls (Tunebench)'] === 'number' &&
      typeof row['calls (server)'] === 'number' &&
      typeof row['mean ms (server)'] === 'number' &&
      !(typeof row['failed (Tunebench)'] === 'number' && row['failed (Tunebench)'] > 0),
  );
  let clientMs = 0;
  let serverMs = 0;
  let calls = 0;
  let top: { text: string; client: number; server: number; calls: number } | undefined;
  for (const row of rows) {
    const ownCalls = row['calls (Tunebench)'] as number;
    const ownMean = row['mean ms (Tunebench)'] as number;
    const serverCalls = row['calls (server)'] as number;
    const serverMean = row['mean ms (server)'] as number;
    if (!(ownCalls > 0) || !(serverCalls > 0)) continue;
    clientMs += ownCalls * ownMean;
    serverMs += serverCalls * serverMean;
    calls += ownCalls;
    if (!top || ownCalls * ownMean > top.client * top.calls) top = { text: String(row.query), client: ownMean, server: serverMean, calls: ownCalls };
  }
  if (!top || !(calls > 0)) return undefined;
  const clientMean = clientMs / calls;
  const serverMean = serverMs / calls;
  const gap = clientMean - serverMean;
  if (clientMean < serverMean * CLIENT_OVER_SERVER_MIN || gap < CLIENT_GAP_MIN_MS) return undefined;
  return {
    id: 'db.client-over-server',
    severity: gap >= CLIENT_GAP_WARNING_MS ? 'warning' : 'info',
    title:
      `Client time is far above server time: ${num(clientMean)} ms a query measured by Tunebench against ${num(serverMean)} ms on the server, ` +
      `so the time goes to the driver, the network or the event loop, not to the query.`,
    evidence: [
      evidence('client mean', clientMean, 'ms'),
      evidence('server mean', serverMean, 'ms'),
      evidence('client ÷ server', serverMean > 0 ? clientMean / serverMean : Infinity, '×'),
      evidence('busiest statement', short(top.text)),
    ],
  };
};

/**
 * Slow queries grouped by statement, with each statement's share of all query time.
 * The counts come from the slow-query table (every slow query of the run, by statement) when the record has it:
 * the timeline's `slow-query` events stop after the first few hundred. Live, before the table exists, the events are counted.
 */
export const slowQueries: FindingRule = (input) => {
  const slow = input.events.filter((event) => event.type === 'slow-query' && typeof event.data?.hash === 'string');
  const grouped = tableRows(input.tables?.[dbTableNames.slowQueries]).filter((row) => typeof row.count === 'number' && row.count > 0);
  if (!slow.length && !grouped.length) return undefined;
  const byHash = new Map<string, { count: number; text: string }>();
  if (grouped.length) {
    for (const row of grouped) byHash.set(String(row.hash), { count: row.count as number, text: String(row.query) });
  } else {
    for (const event of slow) {
      const hash = event.data!.hash as string;
      const entry = byHash.get(hash) ?? { count: 0, text: event.message.replace(/^[\d.]+ ms: /, '') };
      entry.count += 1;
      byHash.set(hash, entry);
    }
  }
  const slowCount = [...byHash.values()].reduce((sum, entry) => sum + entry.count, 0);
  const [hash, worst] = [...byHash].sort((a, b) => b[1].count - a[1].count)[0]!;
  const stats = tableRows(input.tables?.[dbTableNames.queryStats]);
  const totalMs = stats.reduce((sum, row) => sum + (typeof row['total ms'] === 'number' ? row['total ms'] : 0), 0);
  const own = stats.find((row) => String(row.hash) === hash);
  const share = own && totalMs > 0 && typeof own['total ms'] === 'number' ? own['total ms'] / totalMs : undefined;
  const threshold = numberSetting(input.spec, 'slowQueryMs');
  const queries = metric(input, 'queries');
  // A few outliers among thousands (a busy machine, a checkpoint) are a note; a share of them is a warning.
  const slowShare = queries !== undefined && queries > 0 ? slowCount / queries : undefined;
  // When: the events' times (the table's 'last seen s' counts from the pool's creation, another clock).
  const times = slow.map((event) => event.t);
  // A statement's share of the time says something only beside other statements.
  const shown = stats.length > 1 ? share : undefined;
  const finding: Finding = {
    id: 'db.slow-queries',
    severity: slowShare !== undefined && slowShare < SLOW_SHARE_WARNING ? 'info' : 'warning',
    title:
      `${slowShare !== undefined ? `${num(slowCount)} of ${plural(queries!, 'query', 'queries')} (${num(slowShare * 100)}%)` : plural(slowCount, 'query', 'queries')} ` +
      `took ${threshold !== undefined ? `${num(threshold)} ms or more` : 'longer than the slow-query threshold'}` +
      `${byHash.size > 1 ? ` across ${plural(byHash.size, 'statement')}; most (${num(worst.count)}) were` : ', all of them'} ` +
      `“${short(worst.text, 60)}”${shown !== undefined ? `, which took ${num(shown * 100)}% of all query time` : ''}.`,
    evidence: [
      evidence('slow queries', slowCount, 'count'),
      ...(slowShare !== undefined ? [evidence('share of queries', slowShare, 'ratio')] : []),
      ...(threshold !== undefined ? [evidence('threshold', threshold, 'ms')] : []),
      ...[...byHash.values()].slice(0, 3).map((entry) => evidence(short(entry.text, 60), entry.count, 'count')),
      ...(shown !== undefined ? [evidence('its share of query time', shown, 'ratio')] : []),
    ],
    // The events stop after the first few hundred: when the table counts more, they went on to the run's end.
    ...(times.length
      ? { range: { fromMs: Math.max(0, Math.min(...times) - 1), toMs: slowCount > slow.length ? Math.max(runEndMs(input), Math.max(...times) + 1) : Math.max(...times) + 1 } }
      : {}),
  };
  return finding;
};

/** Serializable transactions retried often: conflicts, which rise with concurrency. */
export const serializationRetries: FindingRule = (input) => {
  const retries = metric(input, 'retries');
  const commits = metric(input, 'commits');
  if (retries === undefined || commits === undefined || !(retries > 0)) return undefined;
  const perCommit = commits > 0 ? retries / commits : Infinity;
  if (perCommit < RETRIES_PER_COMMIT_MIN) return undefined;
  const concurrency = numberSetting(input.spec, 'concurrency');
  const gaveUp = metric(input, 'finalFailures') ?? 0;
  const steps = concurrency !== undefined && concurrency > 1 ? doublingSteps(1, concurrency) : undefined;
  return {
    id: 'db.serialization-retries',
    severity: gaveUp > 0 ? 'problem' : 'warning',
    title:
      `Serialization failures: ${num(perCommit)} retries per committed transaction (${plural(retries, 'retry', 'retries')}` +
      `${gaveUp > 0 ? `, ${num(gaveUp)} gave up` : ''})${concurrency !== undefined ? ` at ${num(concurrency)} in flight` : ''}; conflicts rise with concurrency.`,
    evidence: [
      evidence('retries', retries, 'count'),
      evidence('committed', commits, 'count'),
      evidence('retries per commit', perCommit, 'count'),
      ...(gaveUp > 0 ? [evidence('gave up', gaveUp, 'count')] : []),
      ...(concurrency !== undefined ? [evidence('in flight', concurrency, 'count')] : []),
    ],
    range: { fromMs: 0, toMs: runEndMs(input) },
    ...(steps ? { tryNext: { action: 'sweep' as const, label: `Sweep concurrency over ${steps.join(', ')}`, axis: { path: 'concurrency', values: steps } } } : {}),
  };
};

export const dbRules: readonly FindingRule[] = [poolBottleneck, clientOverServer, slowQueries, serializationRetries];
