/**
 * Every run this window has seen start, kept outside React: frames append
 * into plain arrays and listeners hear about it at most a few times a second,
 * so a 100,000-job run does not re-render the page ten times a second.
 */
import type { CallResponse, Disposer, StreamPayload, TunebenchClient } from '../../shared/contract.js';
import type { Finding } from '../../shared/findings.js';
import type { MetricValue, RunEvent, Series } from '../../shared/metrics.js';
import type { RunStatus } from '../../shared/run-record.js';
import type { SeriesSource } from './series-source.js';
import { HEADER_VIEW } from './run-views.js';

type Frame = StreamPayload<'run.frame'>;
type StatusUpdate = StreamPayload<'run.status'>;

/** Listeners hear about changes at most this often. */
export const NOTIFY_INTERVAL_MS = 220;
/** Finished runs kept in memory besides the running ones. */
const FINISHED_RUNS_KEPT = 6;
/** Events kept per live run; the saved record has them all. */
const EVENTS_KEPT = 1_000;
/** Points per series of a running run's history fetched on reload (a chart draws 200; the saved run's view has 1,000). */
const LIVE_HISTORY_POINTS = 1_000;

export class LiveRun implements SeriesSource {
  version = 0;
  kind = '';
  name = '';
  status: RunStatus = 'running';
  error: { code: string; message: string } | undefined;
  summary: Record<string, MetricValue> = {};
  events: RunEvent[] = [];
  eventsDropped = 0;
  progress: { done: number; total: number } | undefined;
  /** The run's findings so far: a frame carries them when they change. */
  findings: Finding[] | undefined;
  elapsedMs = 0;
  /** When the run started (epoch ms), as this window knows it: from runs.live, else its first frame; for timelines on the clock. */
  startedAtMs: number | undefined;
  /** The run's spec, when this window learnt it from runs.live (a page opened or reloaded mid-run fills its form with it). */
  spec: Record<string, unknown> | undefined;
  private readonly seriesByName = new Map<string, Series>();
  private lastSeq = -1;

  constructor(readonly runId: string) {}

  series(name: string): Series | undefined {
    return this.seriesByName.get(name);
  }

  seriesNames(): string[] {
    return [...this.seriesByName.keys()];
  }

  applyFrame(frame: Frame): void {
    // A frame seen twice (e.g. replayed after a reconnect) must not duplicate points.
    if (frame.seq <= this.lastSeq) return;
    this.lastSeq = frame.seq;
    this.elapsedMs = frame.elapsedMs;
    this.startedAtMs ??= Date.now() - frame.elapsedMs;
    for (const [name, delta] of Object.entries(frame.series)) {
      let series = this.seriesByName.get(name);
      if (!series) {
        series = { unit: delta.unit, ...(delta.label ? { label: delta.label } : {}), t: [], v: [] };
        this.seriesByName.set(name, series);
      }
      for (let i = 0; i < delta.t.length; i++) {
        series.t.push(delta.t[i]!);
        series.v.push(delta.v[i]!);
      }
    }
    this.summary = frame.summary;
    if (frame.progress) this.progress = frame.progress;
    if (frame.findings) this.findings = frame.findings;
    for (const event of frame.events) {
      if (this.events.length < EVENTS_KEPT) this.events.push(event);
      else this.eventsDropped += 1;
    }
    this.version += 1;
  }

  /**
   * The run's history so far (runs.live), for a window that opened or reloaded
   * mid-run: its points come first, then whatever frames this window already
   * applied beyond them; frames up to its seq are ignored from now on.
   */
  applyHistory(view: CallResponse<'runs.live'>): void {
    this.spec = view.spec;
    this.startedAtMs = Date.parse(view.startedAt);
    for (const [name, history] of Object.entries(view.series)) {
      const live = this.seriesByName.get(name);
      const lastT = history.t.length ? history.t[history.t.length - 1]! : Number.NEGATIVE_INFINITY;
      const merged: Series = { unit: history.unit, ...(history.label ? { label: history.label } : {}), t: [...history.t], v: [...history.v] };
      if (live) {
        for (let i = 0; i < live.t.length; i++) {
          if (live.t[i]! <= lastT) continue;
          merged.t.push(live.t[i]!);
          merged.v.push(live.v[i]!);
        }
      }
      this.seriesByName.set(name, merged);
    }
    const lastEventT = view.events.length ? view.events[view.events.length - 1]!.t : Number.NEGATIVE_INFINITY;
    const seen = new Set(view.events.map((event) => `${event.t}|${event.type}|${event.message}`));
    const newer = this.events.filter((event) => event.t > lastEventT || (event.t === lastEventT && !seen.has(`${event.t}|${event.type}|${event.message}`)));
    this.events = [...view.events.slice(-EVENTS_KEPT), ...newer].slice(0, EVENTS_KEPT);
    if (this.lastSeq < view.seq) {
      this.lastSeq = view.seq;
      this.summary = view.summary;
      if (view.progress) this.progress = view.progress;
      if (view.findings) this.findings = view.findings;
      this.elapsedMs = view.elapsedMs;
    }
    this.version += 1;
  }

  applyStatus(update: StatusUpdate): void {
    this.kind = update.kind;
    this.name = update.name;
    this.status = update.status;
    this.error = update.error;
    this.version += 1;
  }
}

class LiveRunsCore {
  readonly runs = new Map<string, LiveRun>();
  /** Run ids in the order this window first saw them. */
  private readonly order: string[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions: Disposer[];
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private lastNotified = 0;
  version = 0;

  constructor(private readonly client: TunebenchClient) {
    this.subscriptions = [
      client.on('run.frame', (frame) => {
        this.ensure(frame.runId).applyFrame(frame);
        this.changed();
      }),
      client.on('run.status', (update) => {
        this.ensure(update.runId).applyStatus(update);
        this.changed();
      }),
    ];
  }

  ensure(runId: string): LiveRun {
    let run = this.runs.get(runId);
    if (!run) {
      run = new LiveRun(runId);
      this.runs.set(runId, run);
      this.order.push(runId);
      this.evict();
    }
    return run;
  }

  latest(kind: string, accepts?: (run: LiveRun) => boolean): LiveRun | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const run = this.runs.get(this.order[i]!);
      if (run?.kind === kind && (!accepts || accepts(run))) return run;
    }
    return undefined;
  }

  /**
   * After a reconnect: follow runs still in progress, and learn how the ones
   * we watched ended while the socket was down.
   */
  async resync(): Promise<void> {
    const { runs: active } = await this.client.call('runs.active', {});
    const activeIds = new Set(active.map((run) => run.runId));
    for (const run of active) {
      const live = this.ensure(run.runId);
      live.applyStatus({ runId: run.runId, kind: run.kind, name: run.name, status: 'running' });
    }
    this.changed();
    // Their history so far: a reload shows every point since the start, not only those after it.
    await Promise.all(
      active.map(async (run) => {
        try {
          this.runs.get(run.runId)?.applyHistory(await this.client.call('runs.live', { runId: run.runId, maxPointsPerSeries: LIVE_HISTORY_POINTS }));
        } catch {
          // It ended meanwhile: its saved record is read when the page asks.
        }
      }),
    );
    const ended = [...this.runs.values()].filter((run) => run.status === 'running' && !activeIds.has(run.runId));
    await Promise.all(
      ended.map(async (live) => {
        try {
          const { run } = await this.client.call('runs.get', { runId: live.runId, display: HEADER_VIEW });
          live.applyStatus({ runId: run.id, kind: run.kind, name: run.name, status: run.status, ...(run.error ? { error: run.error } : {}) });
        } catch {
          live.applyStatus({
            runId: live.runId,
            kind: live.kind,
            name: live.name,
            status: 'failed',
            error: { code: 'TB_RUN_NOT_FOUND', message: 'The run ended while the connection was down and was not saved' },
          });
        }
      }),
    );
    this.changed();
  }

  subscribe(listener: () => void): Disposer {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  dispose(): void {
    for (const dispose of this.subscriptions) dispose();
    clearTimeout(this.notifyTimer);
    this.listeners.clear();
  }

  private changed(): void {
    this.version += 1;
    if (this.notifyTimer !== undefined) return;
    const wait = Math.max(0, this.lastNotified + NOTIFY_INTERVAL_MS - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.lastNotified = Date.now();
      for (const listener of [...this.listeners]) listener();
    }, wait);
  }

  private evict(): void {
    const finished = this.order.filter((id) => this.runs.get(id)?.status !== 'running');
    const excess = finished.length - FINISHED_RUNS_KEPT;
    if (excess <= 0) return;
    for (const id of finished.slice(0, excess)) {
      this.runs.delete(id);
      this.order.splice(this.order.indexOf(id), 1);
    }
  }
}

export class LiveRunsStore {
  readonly #core: LiveRunsCore;

  constructor(client: TunebenchClient) {
    this.#core = new LiveRunsCore(client);
  }

  /** Changes on every frame; read it as the snapshot of useSyncExternalStore. */
  get version(): number {
    return this.#core.version;
  }

  get(runId: string): LiveRun | undefined {
    return this.#core.runs.get(runId);
  }

  /** Registers a run this window started, before its first frame may arrive. */
  follow(runId: string): LiveRun {
    return this.#core.ensure(runId);
  }

  /** The most recent run of a kind seen by this window (that `accepts` takes, when given: a page's own runs of a shared kind). */
  latest(kind: string, accepts?: (run: LiveRun) => boolean): LiveRun | undefined {
    return this.#core.latest(kind, accepts);
  }

  resync(): Promise<void> {
    return this.#core.resync();
  }

  /** Throttled: called at most every NOTIFY_INTERVAL_MS. */
  subscribe(listener: () => void): Disposer {
    return this.#core.subscribe(listener);
  }

  dispose(): void {
    this.#core.dispose();
  }
}
