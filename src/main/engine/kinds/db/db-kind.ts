import { dbRunName } from '../../../../shared/run-names.js';
import type pg from 'pg';
import { TunebenchError, type ErrorPayload } from '../../../../shared/errors.js';
import type { MetricValue } from '../../../../shared/metrics.js';
import type { RecordTable } from '../../../../shared/run-record.js';
import { DbSpec, DbSpecSchema, dbTableNames } from '../../../../shared/specs/db.js';
import type { ExperimentKindRunner, KindResult, RunSink } from '../kind.js';
import { connectClient, describePgError, isConnectionLost, ResolvedTarget, sqlState } from '../../postgres/connection.js';
import type { DbService } from '../../postgres/db-service.js';
import { drivePhase, MAX_OUTAGE_MS, PhaseResult, type Outage } from './driver.js';
import { InstrumentedPool } from './instrumented-pool.js';
import { crossCheckTable, snapshotStatements, StatementsSnapshot } from './pg-stat-statements.js';
import { round } from './query-stats.js';
import { QUERY_ROLE } from '../../postgres/embedded-server.js';
import { endLeftoverSessions, userSqlTarget } from './user-sql.js';
import { createWorkload, Workload } from './workloads.js';

/** Slow queries beyond this many per run stay in the slow-query log only, not the event timeline. */
const MAX_SLOW_EVENTS = 200;
/** Distinct error messages reported as events; repeats are only counted. */
const MAX_ERROR_KINDS = 20;

export const DB_SERIES = {
  throughput: 'throughput',
  operations: 'operations',
  latencyP50: 'latencyP50',
  latencyP95: 'latencyP95',
  latencyP99: 'latencyP99',
  poolTotal: 'poolTotal',
  poolIdle: 'poolIdle',
  poolWaiting: 'poolWaiting',
  acquireP95: 'acquireP95',
  errors: 'errors',
} as const;

/** The 'db' experiment kind: a workload through the instrumented pool against embedded or user PostgreSQL. */
export function createDbKind(service: DbService): ExperimentKindRunner<DbSpec> {
  return {
    kind: 'db',
    defaultName: dbRunName,
    specSchema: DbSpecSchema,
    headline: ['throughput', 'latencyP95', 'errors'],
    // An operation count can end it sooner; the clock is the plan.
    plannedDurationSec: (spec) => spec.warmupSec + spec.durationSec,
    run: (spec, sink, signal, context) => new DbRun(service, spec, sink, signal).execute(context.runId),
  };
}

class DbRun {
  private pool: InstrumentedPool | undefined;
  private admin: pg.Client | undefined;
  /** Where the userQuery workload's SQL runs (its own role and connections); undefined for the built-in workloads. */
  private userSql: ResolvedTarget | undefined;
  private workload: Workload | undefined;
  private readonly phases: PhaseResult[] = [];
  private readonly errorCounts = new Map<string, number>();
  private slowEvents = 0;
  private operations = 0;
  private activeMs = 0;
  private lastSampleAt = 0;
  private lastOperations = 0;
  private sampled = false;
  /** Every time the database went away, in run time (ms since the run started). */
  private readonly outages: Array<{ lostAt: number; outage: Outage; reason: string }> = [];
  private target: ResolvedTarget | undefined;
  /** Whether `admin` was opened after the last outage began. */
  private adminFresh = false;

  constructor(
    private readonly service: DbService,
    private readonly spec: DbSpec,
    private readonly sink: RunSink,
    private readonly signal: AbortSignal,
  ) {}

  async execute(runId: string): Promise<KindResult> {
    const { spec, sink } = this;
    const target = await this.service.resolve(spec.target);
    this.target = target;
    let unpublish: (() => void) | undefined;
    let sampler: NodeJS.Timeout | undefined;
    const environment: Record<string, string> = { postgresTarget: target.label };
    try {
      this.admin = await connectClient(target, spec.pool.connectionTimeoutMillis);
      const { rows } = await this.admin.query<{ server_version: string }>('SHOW server_version');
      environment.postgresVersion = rows[0]?.server_version ?? 'unknown';
      if (target.embedded) environment.postgresServer = 'embedded';
      if (spec.workload.type === 'userQuery') {
        const sql = await userSqlTarget({
          target,
          admin: this.admin,
          embeddedQueryTarget: () => this.service.embeddedQueryTarget(),
          allowPrivilegedRole: spec.workload.allowPrivilegedRole,
          connectionTimeoutMillis: spec.pool.connectionTimeoutMillis,
        });
        this.userSql = sql.target;
        environment.userSqlRole = sql.roleNote;
        if (sql.confirmedDanger) {
          sink.log('warn', sql.confirmedDanger);
          sink.event('privileged-role', sql.confirmedDanger);
        }
      }
      this.workload = createWorkload(spec.workload);
      sink.log('info', `preparing ${spec.workload.type} on ${target.label}`);
      await this.workload.setup(this.admin, spec.seed);
      this.pool = this.createPool(this.userSql ?? target);
      unpublish = this.service.publishLiveTables(runId, () => this.tables(undefined, undefined));
      this.declareSeries();
      this.lastSampleAt = sink.elapsed();
      sampler = setInterval(() => this.sample(), spec.sampleIntervalMs);
      const warmupEnding = await this.warmUp();
      // After the warm-up, so the server's own statement counts cover the measured window only.
      const before = await snapshotStatements(await this.adminAfterOutage());
      environment.pgStatStatements = before ? 'yes' : 'no';
      const ending = warmupEnding ?? (await this.runPhases());
      clearInterval(sampler);
      sampler = undefined;
      this.sample({ final: true });
      await this.pool.end();
      let after: StatementsSnapshot;
      let verified: Record<string, MetricValue> = {};
      if (!ending) {
        const admin = await this.adminAfterOutage();
        after = await snapshotStatements(admin);
        verified = (await this.workload.verify?.(admin)) ?? {};
      }
      return {
        summary: { ...this.summary(), ...verified },
        tables: this.tables(before, after),
        environment,
        ...(ending ? { error: ending } : {}),
      };
    } catch (error) {
      // Failing before or between phases (setup, snapshots): keep whatever was measured.
      const payload = error instanceof TunebenchError ? error.toPayload() : this.failure(error);
      return { summary: this.pool ? this.summary() : {}, tables: this.tables(undefined, undefined), environment, error: payload };
    } finally {
      if (sampler) clearInterval(sampler);
      unpublish?.();
      await this.pool?.end();
      if (this.userSql && this.pool && this.admin) {
        const admin = this.admin;
        await endLeftoverSessions(admin, this.userSql, this.pool.backendPids()).catch((error: unknown) =>
          sink.log('warn', `could not make sure your SQL's connections are closed: ${describePgError(error)}`),
        );
      }
      await this.admin?.end().catch(() => {});
    }
  }

  private createPool(target: ResolvedTarget): InstrumentedPool {
    return new InstrumentedPool({
      target,
      settings: this.spec.pool,
      slowQueryMs: this.spec.slowQueryMs,
      onSlowQuery: (entry) => {
        if (this.slowEvents >= MAX_SLOW_EVENTS) return;
        this.slowEvents += 1;
        this.sink.event('slow-query', `${round(entry.durationMs, 1)} ms: ${entry.text.slice(0, 200)}`, {
          hash: entry.hash,
          durationMs: round(entry.durationMs),
          failed: entry.failed,
        });
      },
      onPoolError: (error) => this.noteError(error),
    });
  }

  /**
   * Runs the first phase for warmupSec before anything is measured (when it
   * is a timed one: a bulk case's fixed work would be spent), then forgets
   * what it counted and marks the measured window's start; the series cover
   * the warm-up too. Returns the error that ended the run, if any.
   */
  private async warmUp(): Promise<ErrorPayload | undefined> {
    const { spec, workload, pool } = this;
    const phase = workload?.phases[0];
    if (!spec.warmupSec || !phase || phase.operations !== undefined || !pool || this.signal.aborted) return undefined;
    const started = this.sink.elapsed();
    const result = await drivePhase(phase, {
      pool,
      concurrency: spec.concurrency,
      operations: 0,
      durationMs: spec.warmupSec * 1_000,
      seed: spec.seed + 104_729,
      signal: this.signal,
      onError: (error) => this.noteError(error),
      onOutage: (outage) => this.noteOutage(outage),
    });
    if (result.end === 'lost') {
      this.sink.event('db-lost', 'gave up on the database during the warm-up');
      return new TunebenchError('TB_DB_LOST', { detail: `${describePgError(result.error)}; during the warm-up` }).toPayload();
    }
    if (result.end === 'fatal') {
      this.noteError(result.error);
      return new TunebenchError('TB_DB_QUERY', { detail: this.describeQueryError(result.error) }).toPayload();
    }
    pool.restartTotals();
    const warmupMs = this.sink.elapsed() - started;
    this.sink.event('measure-start', `measured window began after ${(warmupMs / 1000).toFixed(2)} s of warm-up (${result.completed} operations)`, {
      warmupMs,
      warmupOperations: result.completed,
    });
    return undefined;
  }

  /** Runs the phases in order; returns the error that ended the run early, if any. */
  private async runPhases(): Promise<ErrorPayload | undefined> {
    const { spec, workload, pool } = this;
    if (!workload || !pool || !this.admin) throw new Error('run not prepared');
    const timedPhases = workload.phases.filter((phase) => phase.operations === undefined).length;
    // Comparisons share the duration between their phases; fixed-size phases (bulk cases) each get all of it as a cap.
    const phaseDurationMs = (phase: { operations?: number }) =>
      phase.operations === undefined ? (spec.durationSec * 1_000) / Math.max(1, timedPhases) : spec.durationSec * 1_000;
    for (const [index, phase] of workload.phases.entries()) {
      if (this.signal.aborted) break;
      await phase.prepare?.(await this.adminAfterOutage());
      if (workload.phases.length > 1) this.sink.event('phase', `phase ${index + 1}/${workload.phases.length}: ${phase.name}`);
      const result = await drivePhase(phase, {
        pool,
        concurrency: spec.concurrency,
        operations: spec.operations,
        durationMs: phaseDurationMs(phase),
        seed: spec.seed + index * 7_919,
        signal: this.signal,
        onError: (error) => this.noteError(error),
        onOperation: () => {
          this.operations += 1;
        },
        onOutage: (outage) => this.noteOutage(outage),
      });
      this.phases.push(result);
      this.activeMs += result.elapsedMs;
      if (result.end === 'lost') {
        const why = result.stillDown
          ? 'the server was still unreachable when the run ended'
          : `the server did not come back within ${MAX_OUTAGE_MS / 1_000} s`;
        this.sink.event('db-lost', `gave up on the database: ${why}`);
        return new TunebenchError('TB_DB_LOST', { detail: `${describePgError(result.error)}; ${why}` }).toPayload();
      }
      if (result.end === 'fatal') {
        this.noteError(result.error);
        return new TunebenchError('TB_DB_QUERY', { detail: this.describeQueryError(result.error) }).toPayload();
      }
    }
    return undefined;
  }

  /** The database went away or came back: an event each, and a row of the outages table. */
  private noteOutage(outage: Outage): void {
    if (outage.endMs === undefined) {
      const reason = describePgError(outage.error).slice(0, 300);
      this.outages.push({ lostAt: this.sink.elapsed(), outage, reason });
      this.sink.event('db-lost', `database connection lost: ${reason}; retrying for up to ${MAX_OUTAGE_MS / 1_000} s`);
      return;
    }
    const awayMs = outage.endMs - outage.startMs;
    this.sink.event(
      'db-back',
      `database back after ${round(awayMs / 1_000, 1)} s; ${outage.failed} operation${outage.failed === 1 ? '' : 's'} failed meanwhile`,
      { outageMs: round(awayMs), failed: outage.failed },
    );
  }

  /** The run's own connection, opened again when the database went away since it was made. */
  private async adminAfterOutage(): Promise<pg.Client> {
    if (!this.admin || !this.target) throw new Error('run not prepared');
    if (!this.outages.length || this.adminFresh) return this.admin;
    await this.admin.end().catch(() => {});
    this.admin = await connectClient(this.target, this.spec.pool.connectionTimeoutMillis);
    this.adminFresh = true;
    return this.admin;
  }

  private declareSeries(): void {
    const { sink } = this;
    sink.declareSeries(DB_SERIES.throughput, 'queries/s', 'queries/s');
    sink.declareSeries(DB_SERIES.operations, 'queries/s', 'operations/s');
    sink.declareSeries(DB_SERIES.latencyP50, 'ms', 'query p50');
    sink.declareSeries(DB_SERIES.latencyP95, 'ms', 'query p95');
    sink.declareSeries(DB_SERIES.latencyP99, 'ms', 'query p99');
    sink.declareSeries(DB_SERIES.poolTotal, 'count', 'pool total');
    sink.declareSeries(DB_SERIES.poolIdle, 'count', 'pool idle');
    sink.declareSeries(DB_SERIES.poolWaiting, 'count', 'pool waiting');
    sink.declareSeries(DB_SERIES.acquireP95, 'ms', 'acquire wait p95');
    sink.declareSeries(DB_SERIES.errors, 'count', 'errors');
  }

  private sample({ final = false } = {}): void {
    const { pool, sink } = this;
    if (!pool) return;
    const now = sink.elapsed();
    const seconds = Math.max(0.001, (now - this.lastSampleAt) / 1_000);
    this.lastSampleAt = now;
    const interval = pool.takeInterval();
    const gauges = pool.gauges();
    // The last stretch after the final tick can be a few milliseconds long: as a rate it would be noise.
    const tooShort = final && this.sampled && seconds * 1_000 < this.spec.sampleIntervalMs / 2;
    this.sampled = true;
    if (!tooShort) {
      sink.sample(DB_SERIES.throughput, round(interval.queries / seconds, 1), now);
      sink.sample(DB_SERIES.operations, round((this.operations - this.lastOperations) / seconds, 1), now);
    }
    this.lastOperations = this.operations;
    if (interval.queries && !tooShort) {
      sink.sample(DB_SERIES.latencyP50, round(interval.p50Ms), now);
      sink.sample(DB_SERIES.latencyP95, round(interval.p95Ms), now);
      sink.sample(DB_SERIES.latencyP99, round(interval.p99Ms), now);
      sink.sample(DB_SERIES.acquireP95, round(interval.acquireP95Ms), now);
    }
    sink.sample(DB_SERIES.poolTotal, gauges.total, now);
    sink.sample(DB_SERIES.poolIdle, gauges.idle, now);
    sink.sample(DB_SERIES.poolWaiting, gauges.waiting, now);
    sink.sample(DB_SERIES.errors, interval.errors, now);
    sink.summary(this.summary());
    const total = (this.spec.warmupSec + this.spec.durationSec) * 1_000;
    sink.progress(Math.min(total, Math.round(now)), total);
  }

  private summary(): Record<string, MetricValue> {
    const { pool, workload } = this;
    if (!pool) return {};
    const totals = pool.totals();
    const seconds = Math.max(0.001, (this.activeMs || this.sink.elapsed()) / 1_000);
    const summary: Record<string, MetricValue> = {
      queries: { value: totals.queries, unit: 'count', label: 'queries', better: 'neither' },
      operations: { value: this.operations, unit: 'count', label: 'operations', better: 'neither' },
      errors: { value: totals.errors, unit: 'count', label: 'errors', better: 'lower' },
      throughput: { value: round(totals.queries / seconds, 1), unit: 'queries/s', label: 'throughput', better: 'higher' },
      latencyP50: { value: round(totals.latency(50)), unit: 'ms', label: 'query p50', better: 'lower' },
      latencyP95: { value: round(totals.latency(95)), unit: 'ms', label: 'query p95', better: 'lower' },
      latencyP99: { value: round(totals.latency(99)), unit: 'ms', label: 'query p99', better: 'lower' },
      acquireP95: { value: round(totals.acquireP95Ms), unit: 'ms', label: 'acquire wait p95', better: 'lower' },
      retries: { value: 0, unit: 'count', label: 'retries', better: 'lower' },
    };
    for (const phase of this.phases) {
      if (this.workload && this.workload.phases.length < 2) break;
      const key = phase.name.replace(/\W+/g, '_');
      const phaseSeconds = Math.max(0.001, phase.elapsedMs / 1_000);
      const rowsPerOperation = workload?.phases.find((candidate) => candidate.name === phase.name)?.rowsPerOperation;
      summary[`opsPerSec_${key}`] = {
        value: round(phase.completed / phaseSeconds, 1),
        unit: 'queries/s',
        label: `${phase.name}: operations/s`,
        better: 'higher',
      };
      if (rowsPerOperation) {
        summary[`rowsPerSec_${key}`] = {
          value: round((phase.completed * rowsPerOperation) / phaseSeconds, 1),
          unit: 'queries/s',
          label: `${phase.name}: rows/s`,
          better: 'higher',
        };
      }
    }
    return { ...summary, ...(workload?.summary?.() ?? {}) };
  }

  private tables(before: StatementsSnapshot, after: StatementsSnapshot): Record<string, RecordTable> {
    const tables: Record<string, RecordTable> = {};
    if (this.pool) {
      tables[dbTableNames.queryStats] = this.pool.stats.table();
      tables[dbTableNames.slowQueries] = this.pool.stats.slowTable();
    }
    const crossCheck = this.pool ? crossCheckTable(before, after, this.pool.stats.stats()) : undefined;
    if (crossCheck) tables[dbTableNames.pgStatStatements] = crossCheck;
    if (this.phases.length > 1 || (this.workload?.phases.length ?? 0) > 1) tables[dbTableNames.cases] = this.casesTable();
    if (this.outages.length) {
      tables.outages = {
        columns: ['lost at s', 'back at s', 'seconds away', 'failed operations', 'reason'],
        rows: this.outages.map(({ lostAt, outage, reason }) => {
          const awayMs = outage.endMs === undefined ? undefined : outage.endMs - outage.startMs;
          return [
            round(lostAt / 1_000, 1),
            awayMs === undefined ? 'not back' : round((lostAt + awayMs) / 1_000, 1),
            awayMs === undefined ? '' : round(awayMs / 1_000, 1),
            outage.failed,
            reason,
          ];
        }),
      };
    }
    if (this.errorCounts.size) {
      tables.errors = {
        columns: ['error', 'count'],
        rows: [...this.errorCounts].sort((a, b) => b[1] - a[1]).map(([message, count]) => [message, count]),
      };
    }
    return tables;
  }

  private casesTable(): RecordTable {
    return {
      columns: ['case', 'operations', 'failed', 'seconds', 'operations/s', 'rows/s', 'op p50 ms', 'op p95 ms'],
      rows: this.phases.map((phase) => {
        const seconds = Math.max(0.001, phase.elapsedMs / 1_000);
        const rowsPerOperation = this.workload?.phases.find((candidate) => candidate.name === phase.name)?.rowsPerOperation ?? 0;
        return [
          phase.name,
          phase.completed,
          phase.failed,
          round(seconds),
          round(phase.completed / seconds, 1),
          round((phase.completed * rowsPerOperation) / seconds, 1),
          round(phase.operationLatency.percentileMs(50)),
          round(phase.operationLatency.percentileMs(95)),
        ];
      }),
    };
  }

  private noteError(error: unknown): void {
    const message = describePgError(error).slice(0, 300);
    const count = this.errorCounts.get(message);
    if (count !== undefined) {
      this.errorCounts.set(message, count + 1);
      return;
    }
    if (this.errorCounts.size >= MAX_ERROR_KINDS) return;
    this.errorCounts.set(message, 1);
    this.sink.event('db-error', message);
  }

  private failure(error: unknown): ErrorPayload {
    const code = isConnectionLost(error) ? 'TB_DB_LOST' : 'TB_DB_QUERY';
    return new TunebenchError(code, { detail: this.describeQueryError(error) }).toPayload();
  }

  /** The bounded server reason, and for user SQL refused on the embedded server, why. */
  private describeQueryError(error: unknown): string {
    const detail = describePgError(error);
    if (this.userSql?.embedded && sqlState(error) === '42501') {
      return `${detail}; on the embedded server your SQL runs as the role ${QUERY_ROLE}, which may only read the tables in the tunebench schema`;
    }
    return detail;
  }
}
