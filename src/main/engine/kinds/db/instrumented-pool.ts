import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TunebenchError } from '../../../../shared/errors.js';
import type { DbPoolSettings } from '../../../../shared/specs/db.js';
import type { Disposable } from '../../disposable.js';
import { isClientTimeout, isConnectionLost, ResolvedTarget } from '../../postgres/connection.js';
import { normalizeQuery, type NormalizedQuery } from './normalize.js';
import { LatencyHistogram } from '../../../../node/stats/latency-histogram.js';
import { QueryStatsCollector, SlowQuery } from './query-stats.js';

export interface InstrumentedPoolOptions {
  target: ResolvedTarget;
  settings: DbPoolSettings;
  slowQueryMs: number;
  onSlowQuery?: (entry: SlowQuery) => void;
  /** An idle client lost its connection (server restart, network): reported, never thrown. */
  onPoolError?: (error: Error) => void;
}

export interface PoolGauges {
  total: number;
  idle: number;
  waiting: number;
}

/** What happened since the previous takeInterval(): the numbers one chart point shows. */
export interface IntervalStats {
  queries: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  acquireP95Ms: number;
}

export type QueryValues = readonly unknown[];

export interface QueryOptions {
  /** Overrides the pool's preparedStatements setting for this query. */
  prepared?: boolean;
  /** Forces the extended protocol (one statement only, even without parameters). */
  singleStatement?: boolean;
}

/** A client checked out of the instrumented pool; every query on it is measured. */
export interface InstrumentedClient {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: QueryValues,
    options?: QueryOptions,
  ): Promise<pg.QueryResult<R>>;
  /** COPY ... FROM STDIN fed with text-format lines; measured as one query of `rows` rows. */
  copyIn(sql: string, lines: Iterable<string>, rows: number): Promise<void>;
}

/**
 * A pg.Pool with per-query statistics, a slow-query log, pool gauges and an
 * acquire-time histogram. Results are pg's own, unchanged. Its 'error'
 * handlers are installed before first use, a client whose query timed out
 * client-side (or whose connection broke) is discarded rather than reused,
 * and end() is bounded so a stop never hangs.
 */
export class InstrumentedPool implements Disposable {
  private readonly core: InstrumentedPoolCore;

  constructor(options: InstrumentedPoolOptions) {
    if (options.settings.connectionTimeoutMillis <= 0) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
        option: 'connectionTimeoutMillis',
        rule: `greater than 0 (0 would wait forever); got ${String(options.settings.connectionTimeoutMillis)}`,
      });
    }
    if (!(options.slowQueryMs >= 0)) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'slowQueryMs', rule: `a number of milliseconds >= 0; got ${String(options.slowQueryMs)}` });
    }
    this.core = new InstrumentedPoolCore(options);
  }

  get stats(): QueryStatsCollector {
    return this.core.stats;
  }

  /** Acquires a client, runs one query, releases it: like pg.Pool.query, but measured. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: QueryValues,
    options?: QueryOptions,
  ): Promise<pg.QueryResult<R>> {
    return this.core.query<R>(text, values, options);
  }

  /** Runs fn with one checked-out client (transactions, COPY); the client is released however fn ends. */
  withClient<T>(fn: (client: InstrumentedClient) => Promise<T>): Promise<T> {
    return this.core.withClient(fn);
  }

  gauges(): PoolGauges {
    return this.core.gauges();
  }

  takeInterval(): IntervalStats {
    return this.core.takeInterval();
  }

  totals(): { queries: number; errors: number; acquireP95Ms: number; latency: (percentile: number) => number } {
    return this.core.totals();
  }

  /** Forgets the warm-up: totals and per-query statistics start again from here. */
  restartTotals(): void {
    this.core.restartTotals();
  }

  /** Server process ids of every connection this pool opened (to make sure none outlives the pool). */
  backendPids(): number[] {
    return this.core.backendPids();
  }

  end(timeoutMs?: number): Promise<void> {
    return this.core.end(timeoutMs);
  }

  dispose(): Promise<void> {
    return this.core.end();
  }
}

class InstrumentedPoolCore {
  /** Per-query statistics of the measured window (a fresh collector when the warm-up ends). */
  stats: QueryStatsCollector;
  private readonly pool: pg.Pool;
  private readonly intervalLatency = new LatencyHistogram();
  private readonly intervalAcquire = new LatencyHistogram();
  private readonly totalAcquire = new LatencyHistogram();
  private intervalQueries = 0;
  private intervalErrors = 0;
  private totalQueries = 0;
  private totalErrors = 0;
  private readonly statementNames = new Map<string, string>();
  private readonly pids = new Set<number>();
  private ending: Promise<void> | undefined;

  constructor(private readonly options: InstrumentedPoolOptions) {
    const { settings, target } = options;
    this.stats = this.newStats();
    this.pool = new pg.Pool({
      ...target.config,
      max: settings.max,
      min: settings.min,
      idleTimeoutMillis: settings.idleTimeoutMillis,
      connectionTimeoutMillis: settings.connectionTimeoutMillis,
      ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
      ...(settings.queryTimeoutMs ? { query_timeout: settings.queryTimeoutMs } : {}),
    });
    const reportError = (error: Error) => options.onPoolError?.(error);
    // Without a listener, an idle client losing its server emits 'error' on the pool and kills the process.
    this.pool.on('error', reportError);
    // pg-pool removes its own listener while a client is checked out; a connection
    // dying between two statements of a transaction would otherwise go unheard (and crash).
    this.pool.on('connect', (client) => {
      client.on('error', reportError);
      const { processID } = client as pg.PoolClient & { processID?: number | null };
      if (typeof processID === 'number') this.pids.add(processID);
    });
  }

  backendPids(): number[] {
    return [...this.pids];
  }

  gauges(): PoolGauges {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /**
   * The hot path, on pg's callbacks as pool.query itself is: one promise per
   * query instead of one per layer, so measuring costs little next to the
   * round trip (bench:db).
   */
  query<R extends pg.QueryResultRow>(text: string, values?: QueryValues, options?: QueryOptions): Promise<pg.QueryResult<R>> {
    if (this.ending) return Promise.reject(new TunebenchError('TB_POOL_CLOSED'));
    return new Promise<pg.QueryResult<R>>((resolve, reject) => {
      const acquireStarted = performance.now();
      this.pool.connect((connectError, client, release) => {
        if (connectError || !client) {
          this.intervalErrors += 1;
          this.totalErrors += 1;
          reject(connectError ?? new Error('the pool handed out no client'));
          return;
        }
        this.intervalAcquire.recordMs(performance.now() - acquireStarted);
        const normalized = normalizeQuery(text);
        const started = performance.now();
        const done = (queryError: Error | null, result: pg.QueryResult<R>) => {
          if (queryError) {
            this.finish(normalized, started, 0, true);
            release(mustDiscard(queryError) ? DISCARDED : undefined);
            reject(queryError);
            return;
          }
          this.finish(normalized, started, rowsOf(result), false);
          release();
          resolve(result);
        };
        try {
          // A plain text and values take pg's own fast path; a config object is cloned by pg on every call.
          if (this.isPlain(options)) client.query<R>(text, values as unknown[], done);
          else client.query<R>(this.queryConfig(text, values, options), done as never);
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)), undefined as never);
        }
      });
    });
  }

  private isPlain(options: QueryOptions | undefined): boolean {
    return !options?.singleStatement && !(options?.prepared ?? this.options.settings.preparedStatements);
  }

  async withClient<T>(fn: (client: InstrumentedClient) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let discard = false;
    const measured: InstrumentedClient = {
      query: async <R extends pg.QueryResultRow>(text: string, values?: QueryValues, options?: QueryOptions) => {
        try {
          return await this.timedQuery<R>(client, text, values, options);
        } catch (error) {
          if (mustDiscard(error)) discard = true;
          throw error;
        }
      },
      copyIn: async (sql: string, lines: Iterable<string>, rows: number) => {
        const normalized = normalizeQuery(sql);
        const started = performance.now();
        try {
          await pipeline(Readable.from(lines), client.query(copyFrom(sql)));
        } catch (error) {
          // A COPY that broke off leaves the connection mid-protocol.
          discard = true;
          this.finish(normalized, started, 0, true);
          throw error;
        }
        this.finish(normalized, started, rows, false);
      },
    };
    try {
      return await fn(measured);
    } finally {
      client.release(discard ? DISCARDED : undefined);
    }
  }

  private newStats(): QueryStatsCollector {
    return new QueryStatsCollector({
      slowQueryMs: this.options.slowQueryMs,
      ...(this.options.onSlowQuery ? { onSlowQuery: this.options.onSlowQuery } : {}),
    });
  }

  /** The warm-up ended: totals() and the per-query statistics cover what comes next (the intervals go on). */
  restartTotals(): void {
    this.stats = this.newStats();
    this.totalQueries = 0;
    this.totalErrors = 0;
    this.totalAcquire.reset();
  }

  takeInterval(): IntervalStats {
    const stats: IntervalStats = {
      queries: this.intervalQueries,
      errors: this.intervalErrors,
      p50Ms: this.intervalLatency.percentileMs(50),
      p95Ms: this.intervalLatency.percentileMs(95),
      p99Ms: this.intervalLatency.percentileMs(99),
      acquireP95Ms: this.intervalAcquire.percentileMs(95),
    };
    this.intervalQueries = 0;
    this.intervalErrors = 0;
    this.intervalLatency.reset();
    this.totalAcquire.add(this.intervalAcquire);
    this.intervalAcquire.reset();
    return stats;
  }

  /** Whole-run figures; latency merges the per-query histograms, so the hot path records each query once. */
  totals() {
    const latency = new LatencyHistogram();
    for (const stat of this.stats.stats()) latency.add(stat.histogram);
    const acquire = new LatencyHistogram();
    acquire.add(this.totalAcquire);
    acquire.add(this.intervalAcquire);
    return {
      queries: this.totalQueries,
      errors: this.totalErrors,
      acquireP95Ms: acquire.percentileMs(95),
      latency: (percentile: number) => latency.percentileMs(percentile),
    };
  }

  end(timeoutMs = 5_000): Promise<void> {
    this.ending ??= new Promise<void>((resolve) => {
      // pool.end() waits for checked-out clients; a stuck one must not hang a stop.
      const timer = setTimeout(resolve, timeoutMs);
      this.pool
        .end()
        .catch(() => {})
        .finally(() => {
          clearTimeout(timer);
          resolve();
        });
    });
    return this.ending;
  }

  private async acquire(): Promise<pg.PoolClient> {
    if (this.ending) throw new TunebenchError('TB_POOL_CLOSED');
    const started = performance.now();
    try {
      const client = await this.pool.connect();
      this.intervalAcquire.recordMs(performance.now() - started);
      return client;
    } catch (error) {
      this.intervalErrors += 1;
      this.totalErrors += 1;
      throw error;
    }
  }

  private async timedQuery<R extends pg.QueryResultRow>(
    client: pg.PoolClient,
    text: string,
    values: QueryValues | undefined,
    options: QueryOptions | undefined,
  ): Promise<pg.QueryResult<R>> {
    const normalized = normalizeQuery(text);
    const started = performance.now();
    let result: pg.QueryResult<R>;
    try {
      result = this.isPlain(options)
        ? await client.query<R>(text, values as unknown[] | undefined)
        : await client.query<R>(this.queryConfig(text, values, options));
    } catch (error) {
      this.finish(normalized, started, 0, true);
      throw error;
    }
    this.finish(normalized, started, rowsOf(result), false);
    return result;
  }

  private finish(normalized: NormalizedQuery, started: number, rows: number, failed: boolean): void {
    const ms = performance.now() - started;
    this.intervalQueries += 1;
    this.totalQueries += 1;
    if (failed) {
      this.intervalErrors += 1;
      this.totalErrors += 1;
    }
    this.intervalLatency.recordMs(ms);
    this.stats.record(normalized, ms, rows, failed);
  }

  private queryConfig(text: string, values: QueryValues | undefined, options?: QueryOptions): pg.QueryConfig {
    // queryMode is pg's (8.x) but missing from @types/pg.
    const config: pg.QueryConfig & { queryMode?: 'extended' } = { text, values: values as unknown[] | undefined };
    if (options?.singleStatement) config.queryMode = 'extended';
    if (options?.prepared ?? this.options.settings.preparedStatements) {
      // pg prepares a named statement once per connection and reuses it; the name must be unique per text.
      let name = this.statementNames.get(text);
      if (!name) {
        name = `tb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
        this.statementNames.set(text, name);
      }
      config.name = name;
    }
    return config;
  }
}

const DISCARDED = new Error('discarded after a timeout or a broken connection');

/** A timed-out query may still be running on that connection, and a broken one is useless: never hand either on. */
function mustDiscard(error: unknown): boolean {
  return isClientTimeout(error) || isConnectionLost(error);
}

function rowsOf(result: pg.QueryResult | pg.QueryResult[]): number {
  const results = Array.isArray(result) ? result : [result];
  let rows = 0;
  for (const one of results) rows += one.rowCount ?? one.rows?.length ?? 0;
  return rows;
}
