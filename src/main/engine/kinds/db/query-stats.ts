import type { RecordTable } from '../../../../shared/run-record.js';
import { LatencyHistogram } from '../../../../node/stats/latency-histogram.js';
import type { NormalizedQuery } from './normalize.js';

export interface QueryStat {
  hash: string;
  /** Pairs the entry with pg_stat_statements rows (see NormalizedQuery.matchHash). */
  matchHash: string;
  text: string;
  calls: number;
  errors: number;
  rows: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
  /** Its durations (node/stats/latency-histogram.ts: whole microseconds, 3 significant digits). */
  histogram: LatencyHistogram;
}

export interface SlowQuery {
  /** Milliseconds since the collector started. */
  t: number;
  hash: string;
  text: string;
  durationMs: number;
  failed: boolean;
}

/** Every slow execution of one statement, grouped: the log's table reads one row per statement. */
interface SlowGroup {
  hash: string;
  text: string;
  count: number;
  failed: number;
  maxMs: number;
  /** Milliseconds since the collector started, of the latest one. */
  lastT: number;
  histogram: LatencyHistogram;
}

export interface QueryStatsOptions {
  slowQueryMs: number;
  /** Entries kept in the slow-query log (oldest dropped first). */
  slowLogSize?: number;
  /** Called for each slow query as it happens. */
  onSlowQuery?: (entry: SlowQuery) => void;
}

/**
 * Per-normalized-query statistics (like pg_stat_statements) and the slow-query
 * log. Only normalized text reaches it: never parameter values.
 */
export class QueryStatsCollector {
  private readonly byHash = new Map<string, QueryStat>();
  private readonly slow: SlowQuery[] = [];
  /** Every slow query of the run by statement (the log above keeps only the latest ones). */
  private readonly slowGroups = new Map<string, SlowGroup>();
  private readonly startedAt = performance.now();
  private readonly slowLogSize: number;

  constructor(private readonly options: QueryStatsOptions) {
    this.slowLogSize = options.slowLogSize ?? 100;
  }

  record(query: NormalizedQuery, durationMs: number, rows: number, failed: boolean): void {
    let stat = this.byHash.get(query.hash);
    if (!stat) {
      stat = {
        hash: query.hash,
        matchHash: query.matchHash,
        text: query.text,
        calls: 0,
        errors: 0,
        rows: 0,
        totalMs: 0,
        minMs: Infinity,
        maxMs: 0,
        histogram: new LatencyHistogram(),
      };
      this.byHash.set(query.hash, stat);
    }
    stat.calls += 1;
    if (failed) stat.errors += 1;
    stat.rows += rows;
    stat.totalMs += durationMs;
    if (durationMs < stat.minMs) stat.minMs = durationMs;
    if (durationMs > stat.maxMs) stat.maxMs = durationMs;
    stat.histogram.recordMs(durationMs);
    if (durationMs >= this.options.slowQueryMs) {
      const entry = { t: performance.now() - this.startedAt, hash: query.hash, text: query.text, durationMs, failed };
      this.slow.push(entry);
      if (this.slow.length > this.slowLogSize) this.slow.shift();
      let group = this.slowGroups.get(query.hash);
      if (!group) {
        group = { hash: query.hash, text: query.text, count: 0, failed: 0, maxMs: 0, lastT: 0, histogram: new LatencyHistogram() };
        this.slowGroups.set(query.hash, group);
      }
      group.count += 1;
      if (failed) group.failed += 1;
      if (durationMs > group.maxMs) group.maxMs = durationMs;
      group.lastT = entry.t;
      group.histogram.recordMs(durationMs);
      this.options.onSlowQuery?.(entry);
    }
  }

  stats(): QueryStat[] {
    return [...this.byHash.values()];
  }

  slowLog(): readonly SlowQuery[] {
    return this.slow;
  }

  totalCalls(): number {
    let calls = 0;
    for (const stat of this.byHash.values()) calls += stat.calls;
    return calls;
  }

  /** The statistics as a record table, busiest (by total time) first. */
  table(): RecordTable {
    return {
      columns: ['hash', 'query', 'calls', 'total ms', 'mean ms', 'min ms', 'max ms', 'p95 ms', 'rows', 'errors'],
      rows: this.stats()
        .sort((a, b) => b.totalMs - a.totalMs)
        .map((stat) => [
          stat.hash,
          stat.text,
          stat.calls,
          round(stat.totalMs),
          round(stat.calls ? stat.totalMs / stat.calls : 0),
          round(Number.isFinite(stat.minMs) ? stat.minMs : 0),
          round(stat.maxMs),
          round(stat.histogram.percentileMs(95)),
          stat.rows,
          stat.errors,
        ]),
    };
  }

  /** The slow-query log grouped by statement, the one slow most often first: how many, p95 and max of them, when the latest was. */
  slowTable(): RecordTable {
    return {
      columns: ['hash', 'query', 'count', 'p95 ms', 'max ms', 'last seen s', 'failed'],
      rows: [...this.slowGroups.values()]
        .sort((a, b) => b.count - a.count || b.maxMs - a.maxMs)
        .map((group) => [
          group.hash,
          group.text,
          group.count,
          round(group.histogram.percentileMs(95)),
          round(group.maxMs),
          round(group.lastT / 1_000, 1),
          group.failed,
        ]),
    };
  }
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
