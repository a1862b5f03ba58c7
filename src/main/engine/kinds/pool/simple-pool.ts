import { Worker } from 'node:worker_threads';
import { TunebenchError } from '../../../../shared/errors.js';
import type { PoolJobReply, PoolWorkerReady } from '../../../../shared/pool-protocol.js';
import type { TaskRef } from '../../../../shared/specs/index.js';
import { Fifo } from '../../../../node/fifo.js';
import {
  checkPoolOptions,
  checkThreads,
  CLOSE_GRACE_MS,
  CorePool,
  describeWorkerError,
  epochNow,
  JobAccounting,
  resourceLimitsOf,
  toJobResult,
  type JobResult,
  type PoolOptions,
  type PoolStatus,
  type PoolCore,
} from './task-pool.js';

/** Workers that die before saying they loaded this many times in a row mean the worker file itself is broken. */
const MAX_STARTUP_FAILURES = 3;

/**
 * A plain worker_threads pool: fixed threads, a FIFO queue, one job per
 * worker at a time. It exists next to piscina so a user can see what a
 * production pool adds, and as a reference that has no hidden behaviour.
 */
export class SimplePool extends CorePool {
  readonly implementation = 'simple' as const;

  constructor(options: PoolOptions) {
    super(new SimplePoolCore(checkPoolOptions(options)));
  }
}

interface PendingJob {
  job: TaskRef;
  submittedAt: number;
  resolve(result: JobResult): void;
  reject(error: TunebenchError): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** The slot running it; undefined while queued. */
  slot: Slot | undefined;
}

/** One thread position: its worker is replaced when it dies, the slot stays. */
interface Slot {
  worker: Worker;
  job: PendingJob | undefined;
  ready: boolean;
}

class SimplePoolCore implements PoolCore {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue = new Fifo<PendingJob>();
  private readonly accounting = new JobAccounting();
  private readonly exits = new Set<Promise<unknown>>();
  private busy = 0;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private startupFailures = 0;
  private broken: TunebenchError | undefined;
  private onIdle: (() => void) | undefined;
  /** Callers of ready() waiting for every slot's worker to say it loaded. */
  private readyWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: PoolOptions) {
    this.addSlots(options.threads);
  }

  run(job: TaskRef, signal: AbortSignal | undefined): Promise<JobResult> {
    if (this.state !== 'open') return Promise.reject(new TunebenchError('TB_POOL_CLOSED'));
    if (this.broken) return Promise.reject(this.broken);
    if (signal?.aborted) return Promise.reject(new TunebenchError('TB_JOB_ABORTED'));
    const slot = this.idle.pop();
    if (!slot && this.queue.size >= this.options.maxQueue) {
      return Promise.reject(new TunebenchError('TB_QUEUE_FULL', { maxQueue: this.options.maxQueue }));
    }
    return new Promise<JobResult>((resolve, reject) => {
      const pending: PendingJob = {
        job,
        submittedAt: epochNow(),
        resolve,
        reject,
        signal,
        onAbort: undefined,
        slot: undefined,
      };
      if (signal) {
        pending.onAbort = () => this.abort(pending);
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      if (slot) this.dispatch(slot, pending);
      else this.queue.push(pending);
    });
  }

  /** Every slot's worker has posted its ready message (or the pool is closed or broken, when waiting is pointless). */
  ready(): Promise<void> {
    if (this.allReady()) return Promise.resolve();
    return new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  private allReady(): boolean {
    if (this.state !== 'open' || this.broken) return true;
    for (const slot of this.slots) if (!slot.ready) return false;
    return true;
  }

  private checkReady(): void {
    if (this.readyWaiters.length === 0 || !this.allReady()) return;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  status(): PoolStatus {
    const threads = this.slots.size;
    return {
      threads,
      busy: this.busy,
      idle: threads - this.busy,
      queued: this.queue.size,
      completed: this.accounting.completed,
      failed: this.accounting.failed,
      busyMs: this.accounting.busyMsAt(),
    };
  }

  async resize(threads: number): Promise<void> {
    checkThreads(threads);
    if (this.state !== 'open') throw new TunebenchError('TB_POOL_CLOSED');
    const inFlight = this.busy + this.queue.size;
    if (inFlight > 0) {
throw new TunebenchError('TB_RESIZE_DURING_RUN', { inFlight });
    }
    if (threads > this.slots.size) this.addSlots(threads - this.slots.size);
    while (this.slots.size > threads) {
      const slot = this.idle.pop()!;
      this.slots.delete(slot);
      this.retire(slot.worker);
    }
    this.options.threads = threads;
    await Promise.all(this.exits);
  }

  close(): Promise<void> {
    this.closing ??= this.closeGracefully();
    return this.closing;
  }

  private async closeGracefully(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      this.checkReady();
      this.rejectQueued(new TunebenchError('TB_POOL_CLOSED'));
      if (this.busy > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          this.onIdle = resolve;
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        });
        clearTimeout(timer);
      }
    }
    await this.dispose();
  }

  dispose(): Promise<void> {
    this.disposing ??= this.shutDown();
    return this.disposing;
  }

  private async shutDown(): Promise<void> {
    this.state = 'closed';
    const closed = new TunebenchError('TB_POOL_CLOSED');
    this.rejectQueued(closed);
    for (const slot of this.slots) {
      const pending = slot.job;
      slot.job = undefined;
      if (pending) this.settle(pending, closed);
      this.retire(slot.worker);
    }
    this.slots.clear();
    this.idle.length = 0;
    this.busy = 0;
    this.accounting.setRunning(0);
    this.checkReady();
    await Promise.all(this.exits);
  }

  private addSlots(count: number): void {
    for (let i = 0; i < count; i++) {
      const slot: Slot = { worker: undefined as unknown as Worker, job: undefined, ready: false };
      slot.worker = this.spawn(slot);
      this.slots.add(slot);
      this.idle.push(slot);
    }
  }

  private spawn(slot: Slot): Worker {
    const resourceLimits = resourceLimitsOf(this.options);
    const worker = new Worker(this.options.workerFile, resourceLimits ? { resourceLimits } : {});
    worker.on('message', (message: PoolJobReply | PoolWorkerReady) => this.onMessage(slot, worker, message));
    worker.on('error', (error) => this.onWorkerDied(slot, worker, describeWorkerError(error)));
    worker.on('exit', (code) => this.onWorkerDied(slot, worker, `the worker exited with code ${code}`));
    // An idle pool must not keep the process alive; a worker holding a job does (see dispatch).
    worker.unref();
    return worker;
  }

  private dispatch(slot: Slot, pending: PendingJob): void {
    slot.job = pending;
    pending.slot = slot;
    this.busy++;
    this.accounting.setRunning(this.busy);
    slot.worker.ref();
    slot.worker.postMessage(pending.job);
  }

  /** Gives a slot whose job just ended the next queued job, or marks it idle. */
  private next(slot: Slot): void {
    const pending = this.queue.shift();
    if (pending) {
      this.dispatch(slot, pending);
      return;
    }
    slot.worker.unref();
    this.idle.push(slot);
    if (this.busy === 0) this.onIdle?.();
  }

  /** Frees a slot's job without settling it; returns it. */
  private release(slot: Slot): PendingJob | undefined {
    const pending = slot.job;
    if (!pending) return undefined;
    slot.job = undefined;
    pending.slot = undefined;
    this.busy--;
    this.accounting.setRunning(this.busy);
    return pending;
  }

  private onMessage(slot: Slot, worker: Worker, message: PoolJobReply | PoolWorkerReady): void {
    if (slot.worker !== worker) return;
    slot.ready = true;
    this.startupFailures = 0;
    if ('ready' in message) {
      this.checkReady();
      return;
    }
    const finishedAt = epochNow();
    const pending = this.release(slot);
    // Hand the worker its next job before settling this one, so it is never idle while the caller reacts.
    this.next(slot);
    if (!pending) return;
    try {
      this.settle(pending, undefined, toJobResult(message, pending.submittedAt, finishedAt));
    } catch (error) {
      this.settle(pending, error as TunebenchError);
    }
  }

  private onWorkerDied(slot: Slot, worker: Worker, detail: string): void {
    // A retired worker (replaced, or its slot removed by a resize) ends on purpose.
    if (slot.worker !== worker || !this.slots.has(slot) || this.state === 'closed') return;
    const pending = this.release(slot);
    if (!slot.ready && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      this.broken = new TunebenchError('TB_WORKER_CRASHED', {
        task: pending?.job.name ?? 'startup',
        detail: `workers fail to start (${detail}); is ${this.options.workerFile} a valid build?`,
      });
    }
    if (pending) this.settle(pending, new TunebenchError('TB_WORKER_CRASHED', { task: pending.job.name, detail }));
    if (this.broken) {
      this.slots.delete(slot);
      this.rejectQueued(this.broken);
      this.checkReady();
      return;
    }
    this.replaceWorker(slot);
    if (this.state === 'open') this.next(slot);
    else if (this.busy === 0) this.onIdle?.();
  }

  private abort(pending: PendingJob): void {
    const slot = pending.slot;
    if (slot) {
      // A running job can only be stopped by ending its worker.
      this.release(slot);
      this.replaceWorker(slot);
      this.next(slot);
    } else {
      this.queue.remove(pending);
    }
    this.settle(pending, new TunebenchError('TB_JOB_ABORTED'));
  }

  private replaceWorker(slot: Slot): void {
    const old = slot.worker;
    slot.ready = false;
    slot.worker = this.spawn(slot);
    this.retire(old);
  }

  private retire(worker: Worker): void {
    const exit = worker.terminate().catch(() => {});
    this.exits.add(exit);
    void exit.then(() => this.exits.delete(exit));
  }

  private rejectQueued(error: TunebenchError): void {
    for (const pending of this.queue.drain()) this.settle(pending, error);
  }

  private settle(pending: PendingJob, error: TunebenchError | undefined, result?: JobResult): void {
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    this.accounting.settled(error);
    if (error) pending.reject(error);
    else pending.resolve(result!);
  }
}
