/**
 * The load generator: closed loop (N connections, each sends when its last
 * request answers) or open loop (a fixed arrival rate, latency measured from
 * each request's intended send time so a stalled server shows its real
 * queueing delay). Runs on its own thread; reports per interval and once at
 * the end, and says when its own limits, not the server's, shaped the result.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import {
  MAX_WORKER_SLOT,
  type LatencyPercentiles,
  type LoadErrorCounts,
  type LoadGeneratorConfig,
  type LoadInterval,
  type LoadLimitCause,
  type LoadMixResult,
  type LoadResult,
} from '../../shared/cluster-protocol.js';
import { EVENT_LOOP_RESOLUTION_MS, LatenessSampler } from '../../shared/event-loop-delay.js';
import { OrderedReservoir } from '../../shared/ordered-reservoir.js';
import { xorshift32 } from '../../shared/random.js';
import { Fifo } from '../../node/fifo.js';
import { LatencyHistogram } from '../../node/stats/latency-histogram.js';
import { HttpConnection, type ConnectionOwner, type FailureKind, type PendingRequest } from './http-connection.js';
import { RequestMix, type RequestTemplate } from './request-mix.js';

/** Above these the generator, not the target, is what the numbers measure. */
const GENERATOR_ELD_P99_LIMIT_MS = 50;
const GENERATOR_UTILIZATION_LIMIT = 0.95;
const OPEN_LOOP_SEND_LAG_P90_LIMIT_MS = 10;
const OPEN_LOOP_RATE_TOLERANCE = 0.98;
/** Open loop: arrivals waiting longer than this for a free connection (p90) mean the connections limited the run. */
const CONNECTION_WAIT_P90_LIMIT_MS = 10;
/** The target's response time (from the actual send) grew when its p50 is above both of these, against its fastest answer. */
const RESPONSE_GROWTH_FACTOR = 2;
const RESPONSE_GROWTH_MIN_MS = 5;
/** Open loop: arrivals beyond this many waiting for a connection are dropped (and the run says so) instead of queueing without bound. */
const MAX_BACKLOG = 50_000;
/** After a connection-level error a connection pauses briefly, so a dead target does not spin the CPU. */
const ERROR_PAUSE_MS = 10;
const LATENCY_SAMPLE_SIZE = 5_000;
/** Seeded, so two identical runs keep comparable samples. */
const LATENCY_SAMPLE_SEED = 0x2545f491;
/** Once stopped, answers still in flight (and queued open-loop arrivals) get at most this long. */
const FINAL_DRAIN_MS = 2_000;

type ErrorKind = keyof LoadErrorCounts;

export interface GeneratorHooks {
  /** The warm-up is over and the measured window begins. */
  measuring(): void;
  interval(interval: LoadInterval): void;
}

function emptyErrors(): LoadErrorCounts {
  return { non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 };
}

/** The per-request latency sample for compare's resampling: uniform over the measured window, in arrival order. */
export function newLatencySample(): OrderedReservoir {
  return new OrderedReservoir(LATENCY_SAMPLE_SIZE, xorshift32(LATENCY_SAMPLE_SEED));
}

function percentilesOf(histogram: LatencyHistogram): LatencyPercentiles {
  if (histogram.count === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const at = (percentile: number) => histogram.percentileMs(percentile);
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: histogram.maxMs, mean: histogram.meanMs };
}

/** One entry of the request mix within a window: its answers' latency and its errors. */
interface MixWindow {
  histogram: LatencyHistogram;
  requests: number;
  errors: number;
}

interface Window {
  histogram: LatencyHistogram;
  requests: number;
  errors: LoadErrorCounts;
  /** Answers per test-server worker slot. */
  byWorker: number[];
  /** Per entry of the request mix, made when the entry is first answered or fails. */
  byMix: Array<MixWindow | undefined>;
}

function newWindow(): Window {
  return { histogram: new LatencyHistogram(), requests: 0, errors: emptyErrors(), byWorker: new Array<number>(MAX_WORKER_SLOT + 1).fill(0), byMix: [] };
}

function mixOf(window: Window, index: number): MixWindow {
  let entry = window.byMix[index];
  if (!entry) {
    entry = { histogram: new LatencyHistogram(), requests: 0, errors: 0 };
    window.byMix[index] = entry;
  }
  return entry;
}

/** Per mix entry: answers, errors and latency percentiles (none when nothing was answered). */
function mixResults(window: Window, entries: number): LoadMixResult[] {
  return Array.from({ length: entries }, (_, index) => {
    const entry = window.byMix[index];
    return {
      requests: entry?.requests ?? 0,
      errors: entry?.errors ?? 0,
      ...(entry && entry.histogram.count > 0 ? { latencyMs: percentilesOf(entry.histogram) } : {}),
    };
  });
}

function countsBySlot(byWorker: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  byWorker.forEach((count, slot) => {
    if (count > 0) counts[slot] = count;
  });
  return counts;
}

function endpointOf(origin: string): { host: string; port: number; tls: boolean; hostHeader: string } {
  const url = new URL(origin);
  const secure = url.protocol === 'https:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (secure ? 443 : 80),
    tls: secure,
    hostHeader: url.host,
  };
}

export class LoadGenerator implements ConnectionOwner {
  private readonly connections: HttpConnection[];
  private readonly idle: HttpConnection[] = [];
  /** Open loop: arrivals waiting for a free connection (their clock is already running). */
  private readonly backlog = new Fifo<PendingRequest>();
  private readonly mix: RequestMix;
  private readonly settings: LoadGeneratorConfig['settings'];
  private readonly startedAt = performance.now();
  /**
   * The measured window, as it really ran: from the moment the warm-up ended
   * (Infinity until then) to the moment the generator stopped. Intervals
   * split it exactly; nothing before or after it is counted in its results.
   */
  private measureFrom = Number.POSITIVE_INFINITY;
  private measureEndedAt: number | undefined;
  private stopped = false;
  private inFlight = 0;
  private interval = newWindow();
  private readonly total = newWindow();
  private readonly statusCodes = new Map<number, number>();
  private bytesReceived = 0;
  /** Answers that arrived inside the measured window: the achieved rate, whatever their send time. */
  private answeredInWindow = 0;
  /** Open loop: measured arrivals dropped because the backlog was full (during the run, not at its end). */
  private dropped = 0;
  /** Measured requests the run stopped waiting for (see LoadResult.unfinished). */
  private readonly unfinished = { unsent: 0, unanswered: 0 };
  private readonly sample = newLatencySample();
  private readonly sendLag = new LatencyHistogram();
  /** Open loop: each measured arrival's wait for a free connection (0 when one was free). */
  private readonly connectionWait = new LatencyHistogram();
  private waitedForConnection = 0;
  /** Open loop: measured arrivals the scheduler issued (a generator that falls behind issues fewer than rate × window). */
  private issued = 0;
  /** The target's response time from the actual send: the fastest of the run (warm-up included), and those answered in the window or for measured arrivals. */
  private fastestResponseMs = Number.POSITIVE_INFINITY;
  private readonly responseTime = new LatencyHistogram();
  /** The generator thread's event-loop lateness (0 on an idle loop); no tick is lost between intervals. */
  private readonly eventLoopDelay = new LatenessSampler(EVENT_LOOP_RESOLUTION_MS, () => performance.now());
  private readonly eventLoopTimer: NodeJS.Timeout;
  private readonly measureEventLoopDelay = new LatencyHistogram();
  private intervalElu: EventLoopUtilization = performance.eventLoopUtilization();
  private measureElu: EventLoopUtilization | undefined;
  private finishedElu: EventLoopUtilization | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly timeoutSweep: NodeJS.Timeout;
  private lastReportAt: number;
  private resolveDone!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly config: LoadGeneratorConfig, private readonly hooks: GeneratorHooks) {
    this.settings = config.settings;
    const endpoint = endpointOf(config.origin);
    this.mix = new RequestMix(this.settings.mix, config.basePath, endpoint.hostHeader);
    this.connections = Array.from({ length: this.settings.connections }, () => new HttpConnection(endpoint, this));
    this.lastReportAt = this.startedAt;
    this.eventLoopTimer = setInterval(() => this.eventLoopDelay.tick(), EVENT_LOOP_RESOLUTION_MS);
    this.eventLoopTimer.unref();
    // One sweep instead of a timer per request keeps timeouts nearly free.
    this.timeoutSweep = setInterval(() => this.sweepTimeouts(), Math.max(10, Math.min(250, this.settings.timeoutMs / 4)));
  }

  /** Generates load until the duration or request count is reached or stop() is called. */
  async run(): Promise<LoadResult> {
    if (this.settings.warmupSec === 0) this.beginMeasure();
    else this.scheduleReport();
    if (this.settings.mode === 'closed') {
      for (const connection of this.connections) this.sendNew(connection);
    } else {
      this.idle.push(...this.connections);
      this.scheduleOpen();
    }
    await this.done;
    await this.drain();
    clearInterval(this.timeoutSweep);
    clearInterval(this.eventLoopTimer);
    return this.result();
  }

  stop(): void {
    this.finish();
  }

  completed(connection: HttpConnection, request: PendingRequest, status: number, worker: number): void {
    this.inFlight--;
    this.complete(request, status, worker);
    this.next(connection, false);
  }

  failed(connection: HttpConnection, request: PendingRequest, kind: FailureKind): void {
    this.inFlight--;
    this.fail(request, kind);
    this.next(connection, kind !== 'timeout');
  }

  received(bytes: number): void {
    this.bytesReceived += bytes;
  }

  private beginMeasure(): void {
    if (this.stopped || this.measuring) return;
    // The warm-up's last interval ends exactly where the window begins.
    if (this.settings.warmupSec > 0) this.report();
    else this.lastReportAt = performance.now();
    this.measureFrom = this.lastReportAt;
    this.measureElu = performance.eventLoopUtilization();
    this.hooks.measuring();
    this.scheduleReport();
  }

  /**
   * Reports come every sample interval from the start of the warm-up and of
   * the window; the last one of each lands on its end (a short remainder
   * joins the last interval rather than making a tiny one of its own).
   */
  private scheduleReport(): void {
    const intervalMs = this.config.sampleIntervalMs;
    const end = this.measuring ? this.measureFrom + this.settings.durationSec * 1000 : this.startedAt + this.settings.warmupSec * 1000;
    const boundary = this.lastReportAt + intervalMs;
    const last = end - boundary < intervalMs / 4;
    this.reportTimer = setTimeout(
      () => {
        if (!last) {
          this.report();
          this.scheduleReport();
        } else if (this.measuring) this.finish();
        else this.beginMeasure();
      },
      Math.max(0, (last ? end : boundary) - performance.now()),
    );
  }

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reportTimer);
    const now = performance.now();
    if (this.measuring) {
      this.measureEndedAt = now;
      this.finishedElu = performance.eventLoopUtilization(this.measureElu);
    }
    // The last, partial interval ends with the window; answers drained after it belong to no interval.
    this.report(now);
    this.resolveDone();
  }

  private get measuring(): boolean {
    return this.measureFrom !== Number.POSITIVE_INFINITY;
  }

  /**
   * Answers still in flight (and open-loop arrivals still waiting for a
   * connection) get a last chance; what is left then is unfinished: counted
   * as such, with its censored latency (now − intended send) in the
   * percentiles, so the worst requests are not left out of them.
   */
  private async drain(): Promise<void> {
    const deadline = performance.now() + Math.min(FINAL_DRAIN_MS, this.settings.timeoutMs);
    while (this.inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const givenUpAt = performance.now();
    for (const request of this.backlog.drain()) {
      this.inFlight--;
      if (!this.isMeasured(request.intendedAt)) continue;
      this.unfinished.unsent++;
      this.total.histogram.recordMs(givenUpAt - request.intendedAt);
      mixOf(this.total, request.mix).histogram.recordMs(givenUpAt - request.intendedAt);
      this.connectionWait.recordMs(givenUpAt - (request.queuedAt ?? request.intendedAt));
    }
    for (const connection of this.connections) {
      const abandoned = connection.close();
      if (!abandoned) continue;
      // Sent, never answered, and no longer waited for: unfinished, not a timeout (its own timeout had not passed).
      this.inFlight--;
      if (!this.isMeasured(abandoned.intendedAt)) continue;
      this.unfinished.unanswered++;
      this.total.histogram.recordMs(givenUpAt - abandoned.intendedAt);
      mixOf(this.total, abandoned.mix).histogram.recordMs(givenUpAt - abandoned.intendedAt);
    }
  }

  private pending(template: RequestTemplate, intendedAt: number): PendingRequest {
    return { bytes: template.bytes, head: template.head, intendedAt, sentAt: intendedAt, mix: template.index };
  }

  private sendNew(connection: HttpConnection): void {
    if (this.stopped) return;
    this.inFlight++;
    connection.send(this.pending(this.mix.next(), performance.now()));
  }

  /** A connection is free again: closed loop sends its next request, open loop serves the backlog. */
  private next(connection: HttpConnection, pause: boolean): void {
    if (pause) {
      setTimeout(() => this.next(connection, false), ERROR_PAUSE_MS);
      return;
    }
    if (this.settings.mode === 'closed') {
      this.sendNew(connection);
      return;
    }
    const request = this.backlog.shift();
    if (request) {
      if (this.isMeasured(request.intendedAt)) this.connectionWait.recordMs(performance.now() - (request.queuedAt ?? request.intendedAt));
      connection.send(request);
    } else {
      this.idle.push(connection);
    }
  }

  private arrive(intendedAt: number, now: number): void {
    const request = this.pending(this.mix.next(), intendedAt);
    const connection = this.idle.pop();
    const measured = this.isMeasured(intendedAt);
    if (measured) this.issued++;
    if (connection) {
      this.inFlight++;
      if (measured) this.connectionWait.recordMs(0);
      connection.send(request);
      return;
    }
    if (measured) this.waitedForConnection++;
    if (this.backlog.size >= MAX_BACKLOG) {
      if (measured) this.dropped++;
    } else {
      this.inFlight++;
      request.queuedAt = now;
      this.backlog.push(request);
    }
  }

  private sweepTimeouts(): void {
    const now = performance.now();
    for (const connection of this.connections) {
      const sentAt = connection.sentAt;
      if (sentAt !== undefined && now - sentAt > this.settings.timeoutMs) connection.timeOut();
    }
  }

  private scheduleOpen(): void {
    const gapMs = 1000 / this.settings.rate!;
    let nextIntended = performance.now();
    const tick = () => {
      if (this.stopped) return;
      const now = performance.now();
      while (nextIntended <= now && !this.stopped) {
        if (nextIntended >= this.measureFrom) this.sendLag.recordMs(now - nextIntended);
        this.arrive(nextIntended, now);
        nextIntended += gapMs;
      }
      // Timer ticks of at least 1 ms send due arrivals in small batches instead of spinning a core
      // (which the server would miss); the wait is counted in latency, since it runs from the intended time.
      setTimeout(tick, Math.max(1, Math.floor(nextIntended - performance.now())));
    };
    tick();
  }

  private complete(request: PendingRequest, status: number, worker: number): void {
    const now = performance.now();
    const { intendedAt } = request;
    const latencyMs = now - intendedAt;
    const responseMs = now - request.sentAt;
    if (responseMs < this.fastestResponseMs) this.fastestResponseMs = responseMs;
    const inWindow = now >= this.measureFrom && (this.measureEndedAt === undefined || now <= this.measureEndedAt);
    if (inWindow) this.answeredInWindow++;
    // The target's response time is what it took to answer in the window, whichever arrival it answered: a warm-up's
    // backlog can fill a short window, and without it no measured answer would tell a slow target from a busy connection.
    if (inWindow || this.isMeasured(intendedAt)) this.responseTime.recordMs(responseMs);
    const ok = status >= 200 && status < 300;
    this.interval.histogram.recordMs(latencyMs);
    this.interval.requests++;
    const intervalMix = mixOf(this.interval, request.mix);
    intervalMix.histogram.recordMs(latencyMs);
    intervalMix.requests++;
    if (!ok) intervalMix.errors++;
    if (worker >= 0) this.interval.byWorker[worker]!++;
    if (!ok) this.interval.errors.non2xx++;
    if (!this.isMeasured(intendedAt)) return;
    const totalMix = mixOf(this.total, request.mix);
    totalMix.histogram.recordMs(latencyMs);
    totalMix.requests++;
    if (!ok) totalMix.errors++;
    this.total.requests++;
    if (worker >= 0) this.total.byWorker[worker]!++;
    if (!ok) this.total.errors.non2xx++;
    this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1);
    this.total.histogram.recordMs(latencyMs);
    this.sample.add(Math.round(latencyMs * 1000) / 1000);
    if (this.settings.requests !== undefined && this.total.requests >= this.settings.requests) this.finish();
  }

  private fail(request: Pick<PendingRequest, 'intendedAt' | 'mix'>, kind: ErrorKind): void {
    this.interval.errors[kind]++;
    mixOf(this.interval, request.mix).errors++;
    if (!this.isMeasured(request.intendedAt)) return;
    this.total.errors[kind]++;
    mixOf(this.total, request.mix).errors++;
  }

  private isMeasured(intendedAt: number): boolean {
    return intendedAt >= this.measureFrom && intendedAt < (this.measureEndedAt ?? Number.POSITIVE_INFINITY);
  }

  private report(now = performance.now()): void {
    const durationMs = Math.max(now - this.lastReportAt, 0.001);
    this.lastReportAt = now;
    const elu = performance.eventLoopUtilization(this.intervalElu);
    this.intervalElu = performance.eventLoopUtilization();
    const eldP99Ms = this.eventLoopDelay.take()?.p99 ?? 0;
    const window = this.interval;
    this.interval = newWindow();
    const phase = this.measuring ? 'measure' : 'warmup';
    if (phase === 'measure') this.measureEventLoopDelay.recordMs(eldP99Ms);
    this.hooks.interval({
      elapsedMs: now - this.startedAt,
      durationMs,
      phase,
      requests: window.requests,
      rps: window.requests / (durationMs / 1000),
      ...(window.requests > 0 ? { latencyMs: percentilesOf(window.histogram) } : {}),
      errors: window.errors,
      byWorker: countsBySlot(window.byWorker),
      byMix: mixResults(window, this.settings.mix.length),
      inFlight: this.inFlight,
      generatorEldP99Ms: eldP99Ms,
      generatorUtilization: elu.utilization,
    });
  }

  private result(): LoadResult {
    const durationMs = this.measuring ? Math.max(0, (this.measureEndedAt ?? performance.now()) - this.measureFrom) : 0;
    const rps = durationMs > 0 ? this.answeredInWindow / (durationMs / 1000) : 0;
    const utilization = this.finishedElu?.utilization ?? 0;
    const busyMs = this.finishedElu?.active ?? 0;
    const limits = this.limits(rps, utilization, durationMs);
    const generator = limits.find((limit) => limit.cause === 'generator')?.reasons ?? [];
    return {
      mode: this.settings.mode,
      requests: this.total.requests,
      durationMs,
      rps,
      ...(this.settings.mode === 'open' ? { requestedRate: this.settings.rate! } : {}),
      latencyMs: percentilesOf(this.total.histogram),
      errors: this.total.errors,
      statusCodes: Object.fromEntries([...this.statusCodes].map(([code, count]) => [String(code), count])),
      byWorker: countsBySlot(this.total.byWorker),
      byMix: mixResults(this.total, this.settings.mix.length),
      bytesReceived: this.bytesReceived,
      unfinished: { ...this.unfinished },
      dropped: this.dropped,
      limitedBy: limits,
      ...(this.settings.mode === 'open' ? { openLoop: this.openLoopFigures() } : {}),
      generatorLimited: generator.length > 0,
      generatorLimitedReasons: generator,
      cpuUsPerRequest: this.total.requests ? (busyMs * 1000) / this.total.requests : 0,
      generatorUtilization: utilization,
      latencySample: this.sample.ordered(),
    };
  }

  private openLoopFigures(): NonNullable<LoadResult['openLoop']> {
    const arrivals = this.connectionWait.count + this.dropped;
    return {
      connectionWaitP90Ms: this.connectionWait.percentileMs(90),
      waitedShare: arrivals ? this.waitedForConnection / arrivals : 0,
      ...(Number.isFinite(this.fastestResponseMs) ? { responseMinMs: this.fastestResponseMs } : {}),
      ...(this.responseTime.count ? { responseP50Ms: this.responseTime.percentileMs(50) } : {}),
    };
  }

  /** What limited the run, each cause with its reasons (see LoadLimitCauseSchema). */
  private limits(rps: number, utilization: number, durationMs: number): LoadResult['limitedBy'] {
    const reasons: Record<LoadLimitCause, string[]> = { generator: [], connections: [], server: [] };
    // One slow interval (a GC, a busy machine) is noise; a quarter of them lagging is a limited generator.
    const typicalEld = this.measureEventLoopDelay.percentileMs(75);
    if (typicalEld > GENERATOR_ELD_P99_LIMIT_MS) {
      reasons.generator.push(`the generator's own event loop lagged (delay p99 above ${typicalEld.toFixed(0)} ms in a quarter of the intervals)`);
    }
    if (utilization > GENERATOR_UTILIZATION_LIMIT) {
      reasons.generator.push(`the generator thread was busy ${(utilization * 100).toFixed(0)} % of the time (saturated)`);
    }
    if (this.settings.mode === 'open') {
      const requested = this.settings.rate!;
      const shortfall = rps < requested * OPEN_LOOP_RATE_TOLERANCE;
      const achieved = `achieved ${rps.toFixed(0)} of ${requested} req/s`;
      // p90, not p99: a few late timer ticks on a busy machine are noise; a scheduler that is mostly late is not.
      // And late is not behind: a scheduler that catches up issues every arrival, only a fraction of a tick late.
      const lagP90 = this.sendLag.percentileMs(90);
      const fellBehind = this.issued < ((requested * durationMs) / 1000) * OPEN_LOOP_RATE_TOLERANCE;
      if (shortfall && fellBehind && lagP90 > OPEN_LOOP_SEND_LAG_P90_LIMIT_MS) {
        reasons.generator.push(`could not send at ${requested} req/s: ${achieved}, send lag p90 ${lagP90.toFixed(1)} ms`);
      }
      // While the generator itself is saturated nothing else can be judged; a backlog overflow alone still lets the rest be.
      const saturated = reasons.generator.length > 0;
      if (this.dropped > 0) {
        reasons.generator.push(`${this.dropped} arrivals dropped: the backlog waiting for a connection reached its limit of ${MAX_BACKLOG}`);
      }
      const open = this.openLoopFigures();
      const waited = open.connectionWaitP90Ms > CONNECTION_WAIT_P90_LIMIT_MS;
      const unfinished = this.unfinished.unsent + this.unfinished.unanswered;
      const { responseMinMs, responseP50Ms } = open;
      const responseGrew =
        responseMinMs !== undefined &&
        responseP50Ms !== undefined &&
        responseP50Ms > Math.max(responseMinMs * RESPONSE_GROWTH_FACTOR, responseMinMs + RESPONSE_GROWTH_MIN_MS);
      if (!saturated && responseGrew && (shortfall || waited || unfinished > 0)) {
        reasons.server.push(
          `the target did not keep up: its response time grew from ${responseMinMs.toFixed(1)} ms (fastest) to ${responseP50Ms.toFixed(1)} ms (p50)` +
            (shortfall ? `; ${achieved}` : ''),
        );
      } else if (!saturated && waited && responseP50Ms !== undefined && !responseGrew) {
        reasons.connections.push(
          `arrivals waited for a free connection (wait p90 ${open.connectionWaitP90Ms.toFixed(1)} ms, ` +
            `${(open.waitedShare * 100).toFixed(0)} % of them found none) while the target answered in its usual time ` +
            `(p50 ${(responseP50Ms ?? 0).toFixed(1)} ms): all ${this.settings.connections} connections were busy` +
            (shortfall ? `; ${achieved}` : '') +
            '; more connections may raise the rate',
        );
      } else if (!saturated && shortfall) {
        reasons.server.push(`the target did not keep up: ${achieved}${unfinished ? `, ${unfinished} requests unfinished` : ''}`);
      }
    }
    return (['generator', 'connections', 'server'] as const)
      .filter((cause) => reasons[cause].length > 0)
      .map((cause) => ({ cause, reasons: reasons[cause] }));
  }
}
