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

  slowTable(): RecordTable {
    return {
      columns: ['t ms', 'hash', 'query', 'duration ms', 'failed'],
      rows: this.slow.map((entry) => [Math.round(entry.t), entry.hash, entry.text, round(entry.durationMs), entry.failed ? 'yes' : 'no']),
    };
  }
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
