/**
 * A tiny pool of worker threads with a V8 heap limit, for two scenarios.
 * oom-worker: every hogEvery-th job allocates without bound; its worker dies
 * with ERR_WORKER_OUT_OF_MEMORY, that job fails, a fresh worker takes its
 * place and every other job still completes. cpu-pool: every job spins for
 * taskMs, off the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { SandboxStart } from '../../shared/specs/memory.js';
import { Fifo } from '../../node/fifo.js';
import { atRate, spin } from './pacing.js';

const THREADS = 2;
export const JOB_WORKER_ROLE = 'memory-sandbox-job-worker';

export interface Job {
  id: number;
  /** hog: allocate until out of heap; spin: busy for ms; sum: a small bounded computation. */
  kind: 'hog' | 'spin' | 'sum';
  ms?: number;
}

export type PoolEvent = (event: string, message: string, data: Record<string, unknown>) => void;

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

export class SandboxPool {
  private readonly queue = new Fifo<Job>();
  private readonly slots: Slot[] = [];
  private readonly stats = { submitted: 0, completed: 0, failed: 0, outOfMemory: 0, replaced: 0 };
  private stopSubmitting: (() => void) | undefined;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly entry: URL,
    private readonly start: SandboxStart,
    private readonly report: PoolEvent,
  ) {
    for (let i = 0; i < THREADS; i++) this.slots.push(this.spawn());
    this.stopSubmitting = atRate(start.rate, () => {
      this.stats.submitted += 1;
      this.queue.push(jobFor(start, this.stats.submitted));
      this.dispatch();
    });
  }

  /** Stops submitting, waits (up to graceMs) for queued jobs, then terminates the workers. */
  async stop(graceMs = 5_000): Promise<Record<string, number>> {
    this.stopSubmitting?.();
    this.stopSubmitting = undefined;
    if (this.queue.size || this.slots.some((slot) => slot.job)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.closed = true;
    const lost = this.queue.size + this.slots.filter((slot) => slot.job).length;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    return { ...this.stats, lost };
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry, {
      workerData: { role: JOB_WORKER_ROLE },
      resourceLimits: { maxOldGenerationSizeMb: this.start.workerHeapMb },
    });
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (message: { id: number }) => {
      if (slot.job?.id !== message.id) return;
      slot.job = undefined;
      this.stats.completed += 1;
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const job = slot.job;
      slot.job = undefined;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') this.stats.outOfMemory += 1;
      if (job) {
        this.stats.failed += 1;
        this.report('job-failed', `Job ${job.id} failed: ${error.code ?? error.message}`, {
          job: job.id,
          code: error.code ?? 'ERROR',
        });
      }
    });
    worker.on('exit', (code) => {
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.stats.replaced += 1;
      this.slots[index] = this.spawn();
      this.report('worker-replaced', `Worker ${worker.threadId} exited (code ${code}); replaced`, {
        threadId: worker.threadId,
        exitCode: code,
      });
      this.dispatch();
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || !this.queue.size) continue;
      slot.job = this.queue.shift()!;
      slot.worker.postMessage(slot.job);
    }
    if (this.drained && !this.queue.size && this.slots.every((slot) => !slot.job)) this.drained();
  }
}

function jobFor(start: SandboxStart, id: number): Job {
  if (start.scenario === 'cpu-pool') return { id, kind: 'spin', ms: start.taskMs };
  return { id, kind: id % start.hogEvery === 0 ? 'hog' : 'sum' };
}

/** The job side, run inside each worker thread. */
export function runJobWorker(port: { on(event: 'message', listener: (job: Job) => void): void; postMessage(value: unknown): void }): void {
  port.on('message', (job) => {
    if (job.kind === 'spin') {
      spin(job.ms ?? 0);
      port.postMessage({ id: job.id });
      return;
    }
    if (job.kind === 'hog') {
      const hoard: number[][] = [];
      // Grows until V8 hits resourceLimits and kills this thread.
      for (;;) hoard.push(new Array(65_536).fill(hoard.length));
    }
    let sum = 0;
    const values = new Array(10_000).fill(job.id);
    for (const value of values) sum += value;
    port.postMessage({ id: job.id, sum });
  });
}
