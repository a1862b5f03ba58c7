/**
 * The cluster primary: forks the test servers on one shared port, restarts
 * crashed workers with backoff, detects crash loops, replaces unhealthy
 * workers gracefully, and reports metrics and events to the engine.
 */
import cluster, { type Worker } from 'node:cluster';
import { dirname } from 'node:path';
import type { ClusterEvent, ClusterEventType, SupervisorMessage } from '../../shared/cluster-protocol.js';
import { TunebenchError } from '../../shared/errors.js';
import { PROBE_BATCH, PROBE_REPLY, ProbeCommandMessageSchema } from '../../shared/runtime.js';
import type { ClusterFault, ClusterSettings, WorkerState, WorkerStatus } from '../../shared/specs/cluster.js';
import { EMPTY_WINDOW, healthDecision, NO_CRASHES, restartDecision, type ErrorWindow, type RestartHistory } from './policies.js';
import { SERVER_CONFIG_ENV, ServerMessageSchema, type ServerConfig, type ServerMetrics } from './server-protocol.js';

interface Slot {
  index: number;
  worker: Worker | undefined;
  state: WorkerState;
  /** When the slot's current worker began listening; unset until it does. */
  listeningAt: number | undefined;
  restarts: number;
  /** Crashes the restart policy remembers (policies.ts decides, the supervisor keeps). */
  crashes: RestartHistory;
  restartTimer: NodeJS.Timeout | undefined;
  replacing: boolean;
  /** A metrics request is unanswered (a blocked loop): asking again would split its report in two. */
  awaitingMetrics: boolean;
  /** A report arrived after its round was published (a loop that was blocked): the next round carries it instead of asking again. */
  unpublished: boolean;
  totals: { requests: number; errors: number };
  /** What the error-rate policy has not judged yet. */
  health: ErrorWindow;
  last: Pick<WorkerStatus, 'rps' | 'latencyMs' | 'eldP99Ms' | 'cpuPercent' | 'heapUsedMb' | 'rssMb'> & { reportedAt: number };
  lastExit: WorkerStatus['lastExit'];
}

/** Why a worker process is going away; unset means any exit is a crash. */
interface Departure {
  reason: string;
}

export type SupervisorSend = (message: SupervisorMessage) => void;

/** A metrics round: asked at `at`, published once every asked worker answered (or the wait ran out). */
interface Round {
  at: number;
  waiting: Set<Slot>;
  timer: NodeJS.Timeout;
}

/** How long a round waits for its answers, at most; a worker with a blocked loop is reported with its last numbers. */
const ROUND_WAIT_MAX_MS = 250;

export class Supervisor {
  private readonly slots: Slot[];
  private readonly departures = new Map<number, Departure>();
  /** Weak, so a worker's last report (sent just before it exits) still finds its slot, and nothing is kept after. */
  private readonly slotOfWorker = new WeakMap<Worker, Slot>();
  private metricsTimer: NodeJS.Timeout | undefined;
  private round: Round | undefined;
  private shuttingDown = false;
  private ready = false;
  private startWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly settings: ClusterSettings,
    private readonly serverEntry: string,
    private readonly port: number,
    private readonly send: SupervisorSend,
  ) {
    this.slots = Array.from({ length: settings.workers }, (_, index) => newSlot(index));
    cluster.schedulingPolicy = settings.scheduling === 'os' ? cluster.SCHED_NONE : cluster.SCHED_RR;
    cluster.setupPrimary({
      exec: serverEntry,
      execArgv: settings.maxOldSpaceMb ? [`--max-old-space-size=${settings.maxOldSpaceMb}`] : [],
    });
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    cluster.on('message', (worker, raw) => this.onWorkerMessage(worker, raw));
  }

  /** Forks every slot; resolves when all listen. Rejects if one cannot listen or a slot crash-loops first. */
  async start(): Promise<void> {
    const allListening = new Promise<void>((resolve, reject) => {
      this.startWaiter = { resolve, reject };
    });
    // A worker that crashes while starting goes through the ordinary restart path.
    for (const slot of this.slots) this.fork(slot).catch(() => {});
    await allListening;
    this.ready = true;
    this.metricsTimer = setInterval(() => this.tick(), this.settings.metricsIntervalMs);
  }

  fault(fault: ClusterFault): string {
    const slot = this.slots[fault.slot];
    if (!slot) throw new TunebenchError('TB_CLUSTER_NO_SUCH_SLOT', { slot: fault.slot, last: this.slots.length - 1 });
    const worker = slot.worker;
    if (!worker || slot.state !== 'running' || !worker.isConnected()) {
      throw new TunebenchError('TB_CLUSTER_SLOT_EMPTY', { slot: fault.slot, what: `worker (state ${slot.state})` });
    }
    const pid = worker.process.pid;
    let message: string;
    switch (fault.action) {
      case 'kill':
        worker.process.kill('SIGKILL');
        message = `kill -9 worker ${fault.slot} (pid ${pid})`;
        break;
      case 'block':
        worker.send({ type: 'tb-block', ms: fault.ms });
        message = `worker ${fault.slot} (pid ${pid}) blocks its event loop for ${fault.ms} ms`;
        break;
      case 'leak':
        worker.send({ type: 'tb-leak', mbPerSecond: fault.mbPerSecond, seconds: fault.seconds });
        message = `worker ${fault.slot} (pid ${pid}) leaks ${fault.mbPerSecond} MB/s for ${fault.seconds} s`;
        break;
    }
    this.event('fault', message, slot, { ...fault, pid });
    return message;
  }

  /** Replaces every worker one at a time, each only after its successor listens. */
  async rollingRestart(): Promise<void> {
    const started = Date.now();
    this.event('rolling-restart', `rolling restart of ${this.slots.length} workers began`, undefined, {});
    for (const slot of this.slots) {
      if (this.shuttingDown) return;
      if (slot.state === 'crash-loop' || slot.state === 'backoff') {
        // A manual restart is the user's way to revive a slot the supervisor gave up on.
        this.clearRestartTimer(slot);
        slot.crashes = NO_CRASHES;
        await this.fork(slot).catch(() => {});
      } else {
        await this.replace(slot, 'rolling restart');
      }
    }
    this.event('rolling-restart', `rolling restart finished in ${Date.now() - started} ms`, undefined, {
      durationMs: Date.now() - started,
    });
  }

  /** Drains every worker (up to the shutdown timeout, then SIGKILL); resolves when all have exited. */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    if (this.round) clearTimeout(this.round.timer);
    this.round = undefined;
    for (const slot of this.slots) this.clearRestartTimer(slot);
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.state = 'stopping';
        if (worker) await this.stopWorker(worker, 'shutdown');
        slot.state = 'stopped';
      }),
    );
  }

  /** The engine is gone: nobody will ever stop these workers, so kill them at once. */
  killAll(): void {
    this.shuttingDown = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
  }

  snapshot(): WorkerStatus[] {
    const now = Date.now();
    return this.slots.map((slot) => ({
      slot: slot.index,
      ...(slot.worker?.process.pid ? { pid: slot.worker.process.pid } : {}),
      state: slot.state,
      uptimeMs: slot.listeningAt && slot.state === 'running' ? now - slot.listeningAt : 0,
      requests: slot.totals.requests,
      errors: slot.totals.errors,
      rps: slot.last.rps,
      latencyMs: slot.last.latencyMs,
      eldP99Ms: slot.last.eldP99Ms,
      cpuPercent: slot.last.cpuPercent,
      heapUsedMb: slot.last.heapUsedMb,
      rssMb: slot.last.rssMb,
      restarts: slot.restarts,
      lastReportMs: slot.last.reportedAt ? now - slot.last.reportedAt : 0,
      ...(slot.lastExit ? { lastExit: slot.lastExit } : {}),
    }));
  }

  private fork(slot: Slot): Promise<void> {
    const config: ServerConfig = {
      slot: slot.index,
      port: this.port,
      keepAliveTimeoutMs: this.settings.keepAliveTimeoutMs,
      poolThreads: this.settings.poolThreads,
      offload: this.settings.offload,
      workersDir: dirname(this.serverEntry),
      probeIntervalMs: this.settings.probeIntervalMs,
    };
    const worker = cluster.fork({
      [SERVER_CONFIG_ENV]: JSON.stringify(config),
      ...(this.settings.uvThreadpoolSize ? { UV_THREADPOOL_SIZE: String(this.settings.uvThreadpoolSize) } : {}),
    });
    // A send racing the worker's death (kill -9, a crash) fails on the worker object with EPIPE or
    // ERR_IPC_CHANNEL_CLOSED. The exit path already handles the death; without a listener that
    // failed send would throw and take the supervisor, and every other worker, down with it.
    worker.on('error', () => {});
    slot.worker = worker;
    slot.state = 'starting';
    slot.listeningAt = undefined;
    slot.last = emptyLast();
    slot.awaitingMetrics = false;
    slot.unpublished = false;
    slot.health = EMPTY_WINDOW;
    this.slotOfWorker.set(worker, slot);
    return new Promise<void>((resolve, reject) => {
      const onListening = () => {
        worker.off('exit', onExit);
        if (slot.worker === worker) {
          slot.state = 'running';
          slot.listeningAt = Date.now();
        }
        if (!this.ready && this.slots.every((s) => s.state === 'running')) this.startWaiter?.resolve();
        this.event('worker-start', `worker ${slot.index} listening (pid ${worker.process.pid})`, slot, {
          pid: worker.process.pid,
        });
        resolve();
      };
      const onExit = () => {
        worker.off('listening', onListening);
        reject(new TunebenchError('TB_CLUSTER_WORKER_EXITED', { slot: slot.index }));
      };
      worker.once('listening', onListening);
      worker.once('exit', onExit);
    });
  }

  private async replace(slot: Slot, reason: string): Promise<void> {
    const previous = slot.worker;
    if (slot.replacing || !previous || slot.state !== 'running') return;
    slot.replacing = true;
    this.departures.set(previous.id, { reason });
    try {
      await this.fork(slot);
      slot.restarts++;
      this.event('restart', `worker ${slot.index} replaced (${reason}): pid ${previous.process.pid} → ${slot.worker?.process.pid}`, slot, {
        reason,
        previousPid: previous.process.pid,
        pid: slot.worker?.process.pid,
      });
    } catch {
      // The successor failed; the crash path takes over that slot. The old worker still goes.
    } finally {
      await this.stopWorker(previous, reason);
      slot.replacing = false;
    }
  }

  /** Asks a worker to drain and exit; SIGKILL if it is still there after the shutdown timeout. */
  private stopWorker(worker: Worker, reason: string): Promise<void> {
    if (!this.departures.has(worker.id)) this.departures.set(worker.id, { reason });
    if (worker.isDead()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => worker.process.kill('SIGKILL'), this.settings.shutdownTimeoutMs + 500);
      worker.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      if (worker.isConnected()) worker.send({ type: 'tb-shutdown', timeoutMs: this.settings.shutdownTimeoutMs });
      else worker.process.kill('SIGKILL');
    });
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.slotOfWorker.get(worker);
    const departure = this.departures.get(worker.id);
    this.departures.delete(worker.id);
    if (!slot) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const reason = departure?.reason ?? 'crashed';
    slot.lastExit = { code, signal, reason };
    this.event('worker-exit', `worker ${slot.index} (pid ${worker.process.pid}) exited with ${how}: ${reason}`, slot, {
      pid: worker.process.pid,
      code,
      signal,
      reason,
    });
    if (slot.worker !== worker) return; // a replaced predecessor
    slot.worker = undefined;
    // A dead worker serves nothing; its last rates must not linger in the table.
    slot.last = emptyLast();
    this.round?.waiting.delete(slot);
    if (departure || this.shuttingDown) {
      slot.state = 'stopped';
      return;
    }
    this.onCrash(slot, how);
  }

  private onCrash(slot: Slot, how: string): void {
    const policy = this.settings.restart;
    const decision = restartDecision(slot.crashes, { listeningAt: slot.listeningAt }, Date.now(), policy);
    slot.crashes = decision.history;
    if (decision.action === 'crash-loop') {
      slot.state = 'crash-loop';
      this.event('crash-loop', `worker ${slot.index} ${decision.reason}: not restarted (crash loop)`, slot, {
        crashes: decision.crashes,
        windowMs: policy.crashLoopWindowMs,
      });
      if (!this.ready) this.failStart(`worker ${slot.index} crash-loops while starting (last exit: ${how})`);
      return;
    }
    const { delayMs } = decision;
    slot.state = 'backoff';
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.shuttingDown) return;
      slot.restarts++;
      this.event('restart', `worker ${slot.index} restarted after ${delayMs} ms backoff (previous exit: ${how})`, slot, {
        reason: 'crashed',
        delayMs,
        exit: how,
      });
      this.fork(slot).catch(() => {});
    }, delayMs);
  }

  /** Hands an engine's probe command to the test server in a slot; a slot without a live worker answers for it. */
  probeCommand(slotIndex: number, message: unknown): void {
    const worker = this.slots[slotIndex]?.worker;
    if (worker?.isConnected()) {
      worker.send(message as object);
      return;
    }
    const command = ProbeCommandMessageSchema.safeParse(message);
    if (!command.success) return;
    this.send({
      type: 'probe',
      slot: slotIndex,
      message: {
        type: PROBE_REPLY,
        id: command.data.id,
        ok: false,
        error: new TunebenchError('TB_CLUSTER_SLOT_EMPTY', { slot: slotIndex, what: 'test server' }).toPayload(),
      },
    });
  }

  private onWorkerMessage(worker: Worker, raw: unknown): void {
    const slot = this.slotOfWorker.get(worker);
    if (!slot) return;
    const type = (raw as { type?: unknown } | null)?.type;
    if (type === PROBE_BATCH || type === PROBE_REPLY) {
      // Parsed by the engine, the only reader; the pid tells it which generation of the slot spoke.
      this.send({ type: 'probe', slot: slot.index, pid: worker.process.pid, message: raw });
      return;
    }
    const parsed = ServerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'tb-fatal') {
      if (!this.ready) this.failStart(message.message);
      return;
    }
    if (message.type !== 'tb-metrics') return;
    if (slot.worker !== worker) {
      // A replaced predecessor's last report: what it served still counts for its slot.
      slot.totals.requests += message.requests;
      slot.totals.errors += message.errors;
      return;
    }
    slot.awaitingMetrics = false;
    this.record(slot, message);
    const round = this.round;
    if (!round?.waiting.delete(slot)) slot.unpublished = true;
    else if (round.waiting.size === 0) this.publishRound();
  }

  private record(slot: Slot, metrics: ServerMetrics): void {
    const seconds = Math.max(metrics.intervalMs, 1) / 1000;
    slot.totals.requests += metrics.requests;
    slot.totals.errors += metrics.errors;
    slot.last = {
      rps: metrics.requests / seconds,
      latencyMs: metrics.requests ? metrics.latencySumMs / metrics.requests : 0,
      eldP99Ms: metrics.eldP99Ms,
      cpuPercent: (metrics.cpuUs / 1000 / Math.max(metrics.intervalMs, 1)) * 100,
      heapUsedMb: metrics.heapUsedMb,
      rssMb: metrics.rssMb,
      reportedAt: Date.now(),
    };
    const window = { requests: slot.health.requests + metrics.requests, errors: slot.health.errors + metrics.errors };
    const decision = healthDecision(window, slot.last, this.settings.health);
    slot.health = decision.window;
    if (decision.action === 'replace' && slot.state === 'running' && !slot.replacing && !this.shuttingDown) {
      this.event('health', `worker ${slot.index} is unhealthy (${decision.reason}): replacing it`, slot, { reason: decision.reason });
      void this.replace(slot, `health: ${decision.reason}`);
    }
  }

  /**
   * Asks every running worker for its metrics, and reports the slots once
   * they have answered: each report carries the numbers of the round it is
   * stamped with, not those of the round before.
   */
  private tick(): void {
    if (this.round) this.publishRound();
    const waiting = new Set<Slot>();
    for (const slot of this.slots) {
      const worker = slot.worker;
      if (slot.unpublished) {
        slot.unpublished = false;
        continue;
      }
      if (worker && slot.state === 'running' && worker.isConnected() && !slot.awaitingMetrics) {
        slot.awaitingMetrics = true;
        worker.send({ type: 'tb-metrics' });
        waiting.add(slot);
      }
    }
    const waitMs = Math.min(ROUND_WAIT_MAX_MS, this.settings.metricsIntervalMs / 2);
    this.round = { at: Date.now(), waiting, timer: setTimeout(() => this.publishRound(), waitMs) };
    if (waiting.size === 0) this.publishRound();
  }

  private publishRound(): void {
    const round = this.round;
    if (!round) return;
    clearTimeout(round.timer);
    this.round = undefined;
    for (const slot of this.slots) slot.unpublished = false;
    this.send({ type: 'workers', at: round.at, workers: this.snapshot() });
  }

  private clearRestartTimer(slot: Slot): void {
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = undefined;
  }

  private event(type: ClusterEventType, message: string, slot: Slot | undefined, data: Record<string, unknown>): void {
    const event: ClusterEvent = { type, message, at: Date.now(), ...(slot ? { slot: slot.index } : {}), data };
    this.send({ type: 'event', event });
  }

  private failStart(message: string): void {
    this.killAll();
    this.startWaiter?.reject(new Error(message));
  }
}

function emptyLast(): Slot['last'] {
  return { rps: 0, latencyMs: 0, eldP99Ms: 0, cpuPercent: 0, heapUsedMb: 0, rssMb: 0, reportedAt: 0 };
}

function newSlot(index: number): Slot {
  return {
    index,
    worker: undefined,
    state: 'starting',
    listeningAt: undefined,
    restarts: 0,
    crashes: NO_CRASHES,
    restartTimer: undefined,
    replacing: false,
    awaitingMetrics: false,
    unpublished: false,
    totals: { requests: 0, errors: 0 },
    health: EMPTY_WINDOW,
    last: emptyLast(),
    lastExit: undefined,
  };
}
