import type { StreamPayload } from '../../shared/contract.js';
import type { Finding } from '../../shared/findings.js';
import type { Distribution, MetricValue, RunEvent, Series, Unit } from '../../shared/metrics.js';
import { OrderedReservoir } from '../../shared/ordered-reservoir.js';
import { xorshift32 } from '../../shared/random.js';
import { minMaxDownsample } from '../../shared/downsample.js';
import type { RunSink } from './kinds/kind.js';

/** Frames leave at most this often per run: the renderer never gets more than 10 per second. */
export const FRAME_INTERVAL_MS = 100;
/** A frame carries at most this many points per series; denser deltas are averaged into buckets. */
export const MAX_POINTS_PER_FRAME = 64;
/** Live findings are worked out at most this often per run. */
export const LIVE_FINDINGS_INTERVAL_MS = 1_000;
/** Raw values kept per distribution (reservoir sampling beyond this, saved in arrival order). */
export const RESERVOIR_SIZE = 20_000;

type Frame = StreamPayload<'run.frame'>;

/** What a run measured since the previous journal flush (run-journal.ts). */
export interface JournalDelta {
  elapsedMs: number;
  series: Record<string, Series>;
  events: RunEvent[];
  summary: Record<string, MetricValue>;
  progress?: { done: number; total: number };
  /** The whole per-item samples so far, now and then: they are thinned in place, so never appended. */
  distributions?: Record<string, Distribution>;
}

/** Every this many journal flushes the distributions go along too. */
const JOURNAL_DISTRIBUTIONS_EVERY = 5;

/** A running run's history so far, as runs.live hands it to a page (see RunRecorder.liveView). */
export interface LiveView {
  /** The seq of the last frame the history includes; -1 before the first. */
  seq: number;
  elapsedMs: number;
  series: Record<string, Series>;
  summary: Record<string, MetricValue>;
  events: RunEvent[];
  progress?: { done: number; total: number };
  /** The findings the frames carried last. */
  findings?: Finding[];
}

interface SeriesState extends Series {
  /** Index of the first point not yet sent in a frame. */
  sent: number;
}

/**
 * Collects everything a run measures at full resolution (for the record) and
 * batches it into display frames (for the UI, the CLI's progress line).
 */
export class RunRecorder implements RunSink {
  private readonly startedAt = performance.now();
  private readonly seriesByName = new Map<string, SeriesState>();
  private readonly events: RunEvent[] = [];
  private pendingEvents: RunEvent[] = [];
  private readonly distributions = new Map<string, { unit: Unit; label?: string; reservoir: OrderedReservoir }>();
  private liveSummary: Record<string, MetricValue> = {};
  private progressState: { done: number; total: number } | undefined;
  private summaryDirty = false;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Per series, the first point not yet in the journal. */
  private readonly journalCursor = new Map<string, number>();
  private journaledEvents = 0;
  private journalFlushes = 0;
  // Deterministic reservoir sampling so two identical runs keep comparable samples.
  private readonly random = xorshift32(0x9e3779b9);
  private liveFindings: (() => Finding[]) | undefined;
  private findingsAt = Number.NEGATIVE_INFINITY;
  /** The findings last sent, and as JSON: a frame carries them only when they change. */
  private findingsLast: Finding[] | undefined;
  private findingsSent = '[]';

  constructor(
    private readonly runId: string,
    private readonly emitFrame: (frame: Frame) => void,
    private readonly emitLog: (level: 'info' | 'warn' | 'error', message: string) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.flush(), FRAME_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Findings while the run goes: `compute` is called at most every
   * LIVE_FINDINGS_INTERVAL_MS from the frame timer (it decides itself when
   * there is enough data), and a frame carries its answer when it changed.
   */
  findLive(compute: () => Finding[]): void {
    this.liveFindings = compute;
  }

  /** The series as they stand (the recorder's own arrays: read them, never change them). */
  liveSeries(): Record<string, Series> {
    const series: Record<string, Series> = {};
    for (const [name, { unit, label, t, v }] of this.seriesByName) series[name] = { unit, ...(label ? { label } : {}), t, v };
    return series;
  }

  /** The events so far (the recorder's own array). */
  liveEvents(): readonly RunEvent[] {
    return this.events;
  }

  /**
   * What the run's frames have carried so far, as one view (runs.live): each
   * series up to its last sent point, cut to maxPoints (min and max per
   * bucket, as a saved run's display view), the events sent, the summary and
   * progress, and the seq of the last frame sent, so a page that opens mid-run
   * draws the whole history and then applies only the frames after it.
   */
  liveView(maxPoints: number): LiveView {
    const series: Record<string, Series> = {};
    for (const [name, state] of this.seriesByName) {
      const points = { t: state.t.slice(0, state.sent), v: state.v.slice(0, state.sent) };
      series[name] = { unit: state.unit, ...(state.label ? { label: state.label } : {}), ...(points.t.length > maxPoints ? minMaxDownsample(points, maxPoints) : points) };
    }
    return {
      seq: this.seq - 1,
      elapsedMs: Math.round(this.elapsed()),
      series,
      summary: this.liveSummary,
      events: this.events.slice(0, this.events.length - this.pendingEvents.length),
      ...(this.progressState ? { progress: this.progressState } : {}),
      ...(this.findingsLast ? { findings: this.findingsLast } : {}),
    };
  }

  /** Sends what is pending and stops the frame timer. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  declareSeries(name: string, unit: Unit, label?: string): void {
    if (!this.seriesByName.has(name)) {
      this.seriesByName.set(name, { unit, ...(label ? { label } : {}), t: [], v: [], sent: 0 });
    }
  }

  sample(series: string, value: number, t: number = this.elapsed()): void {
    const state = this.seriesByName.get(series);
    if (!state) throw new Error(`Series "${series}" was not declared`);
    if (!Number.isFinite(value)) return;
    state.t.push(toTenthMs(t));
    state.v.push(value);
  }

  event(type: string, message: string, data?: Record<string, unknown>): void {
    // The same resolution as samples: a whole-millisecond event could read as earlier than a sample taken before it.
    const event: RunEvent = { t: toTenthMs(this.elapsed()), type, message, ...(data ? { data } : {}) };
    this.events.push(event);
    this.pendingEvents.push(event);
  }

  summary(values: Record<string, MetricValue>): void {
    this.liveSummary = { ...this.liveSummary, ...values };
    this.summaryDirty = true;
  }

  observe(distribution: string, unit: Unit, value: number, label?: string): void {
    let state = this.distributions.get(distribution);
    if (!state) {
      state = { unit, ...(label ? { label } : {}), reservoir: new OrderedReservoir(RESERVOIR_SIZE, this.random) };
      this.distributions.set(distribution, state);
    }
    state.reservoir.add(value);
  }

  progress(done: number, total: number): void {
    this.progressState = { done, total };
    this.summaryDirty = true;
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.emitLog(level, message);
  }

  get currentSummary(): Record<string, MetricValue> {
    return this.liveSummary;
  }

  /** Everything measured since the previous call, for the run's journal; the summary as it stands. */
  journalDelta(): JournalDelta {
    const series: Record<string, Series> = {};
    for (const [name, state] of this.seriesByName) {
      const from = this.journalCursor.get(name);
      // A declared series goes along once even when empty, so a recovered record keeps its unit and label.
      if (from !== undefined && from >= state.t.length) continue;
      series[name] = { unit: state.unit, ...(state.label ? { label: state.label } : {}), t: state.t.slice(from ?? 0), v: state.v.slice(from ?? 0) };
      this.journalCursor.set(name, state.t.length);
    }
    const events = this.events.slice(this.journaledEvents);
    this.journaledEvents = this.events.length;
    this.journalFlushes += 1;
    return {
      elapsedMs: Math.round(this.elapsed()),
      series,
      events,
      summary: this.liveSummary,
      ...(this.progressState ? { progress: this.progressState } : {}),
      ...(this.journalFlushes % JOURNAL_DISTRIBUTIONS_EVERY === 0 && this.distributions.size ? { distributions: this.snapshot().distributions } : {}),
    };
  }

  snapshot(): {
    series: Record<string, Series>;
    events: RunEvent[];
    distributions: Record<string, Distribution>;
  } {
    const series = this.liveSeries();
    const distributions: Record<string, Distribution> = {};
    for (const [name, { unit, label, reservoir }] of this.distributions) {
      // In arrival order: compare resamples blocks of consecutive items.
      distributions[name] = { unit, ...(label ? { label } : {}), observed: reservoir.observed, values: reservoir.ordered() };
    }
    return { series, events: this.events, distributions };
  }

  /** The live findings when it is time to work them out and they changed since the last frame that carried them. */
  private takeFindings(): Finding[] | undefined {
    if (!this.liveFindings) return undefined;
    const now = performance.now();
    if (now - this.findingsAt < LIVE_FINDINGS_INTERVAL_MS) return undefined;
    this.findingsAt = now;
    let findings: Finding[];
    try {
      findings = this.liveFindings();
    } catch {
      return undefined;
    }
    const json = JSON.stringify(findings);
    if (json === this.findingsSent) return undefined;
    this.findingsSent = json;
    this.findingsLast = findings;
    return findings;
  }

  private flush(): void {
    const series: Frame['series'] = {};
    let hasPoints = false;
    for (const [name, state] of this.seriesByName) {
      if (state.sent >= state.t.length) continue;
      const t = state.t.slice(state.sent);
      const v = state.v.slice(state.sent);
      state.sent = state.t.length;
      series[name] = { unit: state.unit, ...(state.label ? { label: state.label } : {}), ...bucketAverage(t, v) };
      hasPoints = true;
    }
    const findings = this.timer ? this.takeFindings() : undefined;
    if (!hasPoints && !this.pendingEvents.length && !this.summaryDirty && !findings) return;
    const frame: Frame = {
      runId: this.runId,
      seq: this.seq++,
      elapsedMs: Math.round(this.elapsed()),
      series,
      summary: this.liveSummary,
      events: this.pendingEvents,
      ...(this.progressState ? { progress: this.progressState } : {}),
      ...(findings ? { findings } : {}),
    };
    this.pendingEvents = [];
    this.summaryDirty = false;
    this.emitFrame(frame);
  }
}

/** Averages a dense delta into at most MAX_POINTS_PER_FRAME buckets so one frame stays small. */
export function bucketAverage(t: number[], v: number[], maxPoints = MAX_POINTS_PER_FRAME): { t: number[]; v: number[] } {
  if (t.length <= maxPoints) return { t, v };
  const outT: number[] = [];
  const outV: number[] = [];
  const size = t.length / maxPoints;
  for (let bucket = 0; bucket < maxPoints; bucket++) {
    const from = Math.floor(bucket * size);
    const to = Math.min(t.length, Math.floor((bucket + 1) * size));
    if (to <= from) continue;
    let sum = 0;
    for (let i = from; i < to; i++) sum += v[i]!;
    outT.push(t[to - 1]!);
    outV.push(sum / (to - from));
  }
  return { t: outT, v: outV };
}

function toTenthMs(t: number): number {
  return Math.round(t * 10) / 10;
}
