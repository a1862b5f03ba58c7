import { poolRunName } from '../../../../shared/run-names.js';
import { toErrorPayload, type ErrorPayload } from '../../../../shared/errors.js';
import { shortWindowWarning } from '../../../../shared/measured-window.js';
import type { MetricValue, Unit } from '../../../../shared/metrics.js';
import { PoolSpecSchema, type PoolSpec } from '../../../../shared/specs/index.js';
import { poolWarmup } from '../../../../shared/specs/pool.js';
import { warnIfOversubscribed } from '../guardrail.js';
import type { ExperimentKindRunner, KindResult, RunSink } from '../kind.js';
import { createTaskPool } from './create-pool.js';
import { LatencyStats, type Percentiles } from './latency-stats.js';
import { MainThreadProbe } from './main-thread-probe.js';
import type { JobResult, TaskPool } from './task-pool.js';

const series: Record<string, [Unit, string]> = {
  throughput: ['jobs/s', 'Throughput'],
  completed: ['jobs', 'Completed jobs'],
  failed: ['jobs', 'Failed jobs'],
  queueDepth: ['count', 'Queued jobs'],
  utilisation: ['percent', 'Worker utilisation'],
  waitP50: ['ms', 'Queue wait p50'],
  waitP95: ['ms', 'Queue wait p95'],
  waitP99: ['ms', 'Queue wait p99'],
  runP50: ['ms', 'Run time p50'],
  runP95: ['ms', 'Run time p95'],
  runP99: ['ms', 'Run time p99'],
  eldP50: ['ms', 'Main-thread event-loop delay p50'],
  eldP99: ['ms', 'Main-thread event-loop delay p99'],
  eldMax: ['ms', 'Main-thread event-loop delay max'],
  elu: ['percent', 'Main-thread event-loop utilisation'],
};

const LATENCY_LABEL = 'End-to-end latency (wait + run)';

/** Events recorded per type before the rest are only counted: a run failing every job must not bloat its record. */
const EVENTS_PER_TYPE = 100;

/** The worker-thread pool experiment: jobs through a chosen pool, measured per job and per interval. */
export const poolKind: ExperimentKindRunner<PoolSpec> = {
  kind: 'pool',
  defaultName: poolRunName,
  specSchema: PoolSpecSchema,
  headline: ['throughput', 'runP95', 'waitP95'],
  recordsEngineEventLoop: true,
  async run(spec, sink, signal, context): Promise<KindResult> {
    warnIfOversubscribed(spec, sink);
    const pool = createTaskPool(spec.pool, context.workersDir);
    const run = new PoolRun(spec, sink, pool);
    try {
      return await run.execute(signal);
    } finally {
      run.dispose();
      await pool.close();
    }
  },
};

/**
 * One pool run. Its clock starts when every thread is up (pool.ready()), not
 * when the pool is created: thread start-up would otherwise count against
 * the first jobs, more so at higher thread counts. A warm-up follows (see
 * poolWarmup); the results (summary, distributions, utilisation, main-thread
 * figures) come from the measured window after it, which a 'measure-start'
 * event marks (the load kind marks its window the same way, and the charts
 * shade what came before). The series cover the warm-up too.
 */
class PoolRun {
  private readonly wait = new LatencyStats();
  private readonly runTime = new LatencyStats();
  /** End to end: wait + run, what a caller of the pool waits for a job. */
  private readonly latency = new LatencyStats();
  private readonly probe = new MainThreadProbe();
  private readonly events: EventBudget;
  private readonly warmup: { sec?: number; jobs?: number };
  private submitted = 0;
  private inFlight = 0;
  private completed = 0;
  private failed = 0;
  private rejected = 0;
  private aborted = 0;
  private stopping = false;
  private firstFailure: ErrorPayload | undefined;
  /** The current window: the warm-up until the measured window begins, then that window. */
  private window = { from: performance.now(), completed: 0, busyMs: 0 };
  private measuring = false;
  /** Jobs completed during the warm-up (left out of the results). */
  private warmupJobs = 0;
  private setupMs = 0;
  private last = { at: this.window.from, completed: 0, busyMs: 0 };
  private sampler: NodeJS.Timeout | undefined;
  private warmupTimer: NodeJS.Timeout | undefined;
  private allSettled: () => void = () => {};
  private readonly settled = new Promise<void>((resolve) => (this.allSettled = resolve));
  private onStop: () => void = () => {};
  private readonly stopped = new Promise<void>((resolve) => (this.onStop = resolve));

  constructor(
    private readonly spec: PoolSpec,
    private readonly sink: RunSink,
    private readonly pool: TaskPool,
  ) {
    this.events = new EventBudget(sink, EVENTS_PER_TYPE);
    this.warmup = poolWarmup(spec);
  }

  async execute(signal: AbortSignal): Promise<KindResult> {
    for (const [name, [unit, label]] of Object.entries(series)) this.sink.declareSeries(name, unit, label);
    const stopByUser = () => this.stop('stopped', 'Stopped');
    signal.addEventListener('abort', stopByUser, { once: true });
    const timeLimit = setTimeout(() => this.stop('time-limit', `Time limit of ${this.spec.timeLimitSec} s reached`), this.spec.timeLimitSec * 1000);
    try {
      this.sink.progress(0, this.spec.jobs);
      if (signal.aborted) stopByUser();
      // Thread start-up is setup: the clock starts when every thread can take a job.
      await Promise.race([this.pool.ready(), this.stopped]);
      this.setupMs = this.sink.elapsed();
      this.window = { from: performance.now(), completed: 0, busyMs: this.pool.status().busyMs };
      this.last = { at: this.window.from, completed: 0, busyMs: this.window.busyMs };
      this.probe.take();
      this.probe.restartOverall();
      this.startSampler();
      if (this.warmup.sec === 0 || this.warmup.jobs === 0) this.beginMeasure();
      else if (this.warmup.sec !== undefined) this.warmupTimer = setTimeout(() => this.beginMeasure(), this.warmup.sec * 1000);
      this.pump();
      await this.settled;
      this.sample(true);
      this.events.flush();
      this.warnIfShort();
      // A run where nothing completed and jobs failed did not measure the pool; say why it failed.
      const error = this.completed === 0 ? this.firstFailure : undefined;
      return { summary: this.summary(), ...(error ? { error } : {}) };
    } finally {
      clearInterval(this.sampler);
      clearTimeout(this.warmupTimer);
      clearTimeout(timeLimit);
      signal.removeEventListener('abort', stopByUser);
    }
  }

  dispose(): void {
    this.probe.dispose();
    this.wait.dispose();
    this.runTime.dispose();
    this.latency.dispose();
  }

  /** Samples every interval from now (the start of the run's clock, then of the measured window). */
  private startSampler(): void {
    clearInterval(this.sampler);
    this.sampler = setInterval(() => this.sample(false), this.spec.sampleIntervalMs);
  }

  /** The warm-up is over: the warm-up's last interval ends here, and the results count from here. */
  private beginMeasure(): void {
    if (this.measuring || this.stopping) return;
    clearTimeout(this.warmupTimer);
    this.sample(true);
    this.measuring = true;
    this.warmupJobs = this.window.completed;
    const warmupMs = performance.now() - this.window.from;
    this.window = { from: this.last.at, completed: 0, busyMs: this.last.busyMs };
    this.wait.restartOverall();
    this.runTime.restartOverall();
    this.latency.restartOverall();
    this.probe.restartOverall();
    this.startSampler();
    const setupMs = this.setupMs;
    this.sink.event(
      'measure-start',
      `measured window began after ${(setupMs / 1000).toFixed(2)} s of thread start-up and ` +
        `${(warmupMs / 1000).toFixed(2)} s (${this.warmupJobs} jobs) of warm-up`,
      { setupMs, warmupMs, warmupJobs: this.warmupJobs },
    );
  }

  /** Keeps spec.concurrency jobs in flight (a closed loop) until all are submitted or the run stops. */
  private pump(): void {
    const { jobs, concurrency, task } = this.spec;
    while (!this.stopping && this.inFlight < concurrency && this.submitted < jobs) {
      this.submitted++;
      this.inFlight++;
      this.pool.run(task).then(this.onDone, this.onFailed);
    }
    if (this.inFlight === 0 && (this.stopping || this.submitted >= jobs)) this.allSettled();
  }

  private readonly onDone = (result: JobResult): void => {
    this.inFlight--;
    this.completed++;
    this.window.completed++;
    this.wait.record(result.waitMs);
    this.runTime.record(result.runMs);
    this.latency.record(result.waitMs + result.runMs);
    // Per-item values are for compare: only the measured window's.
    if (this.measuring) {
      this.sink.observe('waitMs', 'ms', result.waitMs, 'Queue wait');
      this.sink.observe('runMs', 'ms', result.runMs, 'Run time');
      this.sink.observe('latencyMs', 'ms', result.waitMs + result.runMs, LATENCY_LABEL);
    }
    this.afterSettled();
  };

  private readonly onFailed = (error: unknown): void => {
    this.inFlight--;
    const payload = toErrorPayload(error);
    const { code, message } = payload;
    if (code === 'TB_QUEUE_FULL') {
      this.rejected++;
      this.events.report('job-rejected', message, { code });
    } else if (this.stopping && (code === 'TB_JOB_ABORTED' || code === 'TB_POOL_CLOSED')) {
      this.aborted++;
    } else {
      this.failed++;
      this.firstFailure ??= payload;
      this.events.report('job-failed', message, { code });
    }
    // A full queue frees up only when a job finishes, so the next submission waits for that (unless nothing is left to finish).
    if (code !== 'TB_QUEUE_FULL' || this.inFlight === 0) this.afterSettled();
  };

  private afterSettled(): void {
    // A warm-up by jobs ends with its last job; the job that just ended belongs to it.
    if (!this.measuring && this.warmup.jobs !== undefined && this.completed + this.failed + this.rejected >= this.warmup.jobs) {
      this.beginMeasure();
    }
    this.pump();
  }

  /** Stop submitting; the pool rejects what is queued and gives running jobs a short grace. */
  private stop(type: 'stopped' | 'time-limit', reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.onStop();
    const settled = this.completed + this.failed + this.rejected;
    this.sink.event(type, `${reason} after ${settled} of ${this.spec.jobs} jobs`, { settled, jobs: this.spec.jobs });
    void this.pool.close();
    if (this.inFlight === 0) this.allSettled();
  }

  /** A window too short for a stable figure, or a run that ended in its warm-up, gets a warning on its timeline. */
  private warnIfShort(): void {
    const seconds = (this.last.at - this.window.from) / 1000;
    const warning = this.measuring
      ? shortWindowWarning(seconds, this.window.completed, 'jobs')
      : this.completed > 0
        ? `the run ended during its warm-up: its figures include the warm-up (${+seconds.toFixed(2)} s, ${this.window.completed} jobs); ` +
          'run more jobs or shorten the warm-up (warmupSec, warmupJobs)'
        : undefined;
    if (!warning) return;
    this.sink.event('short-run', warning, { seconds, jobs: this.window.completed, measured: this.measuring });
    this.sink.log('warn', warning);
  }

  /** partial: an interval cut short (the run's or the warm-up's end) gets no rate when it is a sliver. */
  private sample(partial: boolean): void {
    const now = performance.now();
    const elapsed = now - this.last.at;
    const status = this.pool.status();
    const wait = this.wait.takeInterval();
    const run = this.runTime.takeInterval();
    // Folded into the whole run's histogram; the charts draw wait and run time.
    this.latency.takeInterval();
    const main = this.probe.take();
    if (elapsed > 0) {
      const t = this.sink.elapsed();
      const put = (name: string, value: number | undefined) => {
        if (value !== undefined) this.sink.sample(name, round3(value), t);
      };
      // The sliver of an interval left at the very end would give a meaningless rate; counts and latencies still go in.
      if (!partial || elapsed >= this.spec.sampleIntervalMs / 4) {
        put('throughput', (this.completed - this.last.completed) / (elapsed / 1000));
        put('utilisation', percentOf(status.busyMs - this.last.busyMs, status.threads * elapsed));
      }
      put('completed', this.completed);
      put('failed', this.failed);
      put('queueDepth', status.queued);
      put('waitP50', wait?.p50);
      put('waitP95', wait?.p95);
      put('waitP99', wait?.p99);
      put('runP50', run?.p50);
      put('runP95', run?.p95);
      put('runP99', run?.p99);
      put('eldP50', main.eldP50);
      put('eldP99', main.eldP99);
      put('eldMax', main.eldMax);
      put('elu', main.elu);
      this.last = { at: now, completed: this.completed, busyMs: status.busyMs };
    }
    this.sink.summary(this.summary());
    this.sink.progress(this.completed + this.failed + this.rejected + this.aborted, this.spec.jobs);
  }

  /** The current window (the measured one once the warm-up is over) up to the last sample. */
  private summary(): Record<string, MetricValue> {
    const elapsedMs = Math.max(0, this.last.at - this.window.from);
    const seconds = elapsedMs / 1000;
    const threads = this.pool.status().threads;
    const values: Record<string, MetricValue> = {
      completed: metric(this.completed, 'jobs', 'Completed jobs (warm-up included)'),
      measuredJobs: metric(this.window.completed, 'jobs', this.measuring ? 'Measured jobs (after the warm-up)' : 'Measured jobs (warm-up, not over)'),
      warmupJobs: metric(this.warmupJobs, 'jobs', 'Warm-up jobs (left out of the results)'),
      failed: metric(this.failed, 'jobs', 'Failed jobs', 'lower'),
      rejected: metric(this.rejected, 'jobs', 'Rejected jobs (queue full)', 'lower'),
      aborted: metric(this.aborted, 'jobs', 'Jobs cancelled by a stop'),
      throughput: metric(seconds > 0 ? this.window.completed / seconds : 0, 'jobs/s', 'Throughput (measured window)', 'higher'),
      utilisation: metric(percentOf(this.last.busyMs - this.window.busyMs, threads * elapsedMs), 'percent', 'Mean worker utilisation'),
      duration: metric(seconds, 's', 'Measured window'),
      setupSec: metric(this.setupMs / 1000, 's', 'Thread start-up before the clock started'),
      ...latencyMetrics('wait', 'Queue wait', this.wait.overall()),
      ...latencyMetrics('run', 'Run time', this.runTime.overall()),
      ...latencyMetrics('latency', LATENCY_LABEL, this.latency.overall()),
    };
    const main = this.probe.overall();
    if (main.eldP99 !== undefined) values.eldP99 = metric(main.eldP99, 'ms', 'Main-thread event-loop delay p99', 'lower');
    if (main.eldMax !== undefined) values.eldMax = metric(main.eldMax, 'ms', 'Main-thread event-loop delay max', 'lower');
    values.elu = metric(main.elu, 'percent', 'Main-thread event-loop utilisation', 'lower');
    return values;
  }
}

/** Records the first `limit` events of each type; the rest are counted and reported once at the end. */
class EventBudget {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly sink: RunSink,
    private readonly limit: number,
  ) {}

  report(type: string, message: string, data: Record<string, unknown>): void {
    const count = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, count);
    if (count <= this.limit) this.sink.event(type, message, data);
  }

  flush(): void {
    for (const [type, count] of this.counts) {
      if (count <= this.limit) continue;
      const unlisted = count - this.limit;
      this.sink.event(type, `${unlisted} more ${type} events not listed (${count} in all)`, { unlisted, total: count });
    }
  }
}

function latencyMetrics(prefix: string, label: string, stats: Percentiles | undefined): Record<string, MetricValue> {
  if (!stats) return {};
  return {
    [`${prefix}P50`]: metric(stats.p50, 'ms', `${label} p50`, 'lower'),
    [`${prefix}P95`]: metric(stats.p95, 'ms', `${label} p95`, 'lower'),
    [`${prefix}P99`]: metric(stats.p99, 'ms', `${label} p99`, 'lower'),
    [`${prefix}Max`]: metric(stats.max, 'ms', `${label} max`, 'lower'),
  };
}

function metric(value: number, unit: Unit, label: string, better: MetricValue['better'] = 'neither'): MetricValue {
  return { value: round3(value), unit, label, better };
}

function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
