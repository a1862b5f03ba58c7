import { Piscina } from 'piscina';
import { TunebenchError } from '../../../../shared/errors.js';
import { READY_PROBE_JOB, type PoolJobReply } from '../../../../shared/pool-protocol.js';
import type { TaskRef } from '../../../../shared/specs/index.js';
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

/** Piscina 5's own error texts (it exports no codes); matched only to translate them into catalogue codes. */
const piscinaMessages = {
  queueFull: new Set(['Task queue is at limit', 'No task queue available and all Workers are busy']),
  terminating: 'Terminating worker thread',
};

/** The production pool: piscina with a fixed thread count, measured through the same interface as SimplePool. */
export class PiscinaPool extends CorePool {
  readonly implementation = 'piscina' as const;

  constructor(options: PoolOptions) {
    super(new PiscinaPoolCore(checkPoolOptions(options)));
  }
}

class PiscinaPoolCore implements PoolCore {
  private piscina: Piscina;
  private readonly accounting = new JobAccounting();
  private inFlight = 0;
  private state: 'open' | 'closing' | 'closed' = 'open';
  /** Set once piscina stops replacing workers that die while starting; every job then fails with it. */
  private broken: TunebenchError | undefined;
  private closing: Promise<void> | undefined;
  private disposing: Promise<void> | undefined;
  /** The ready handshake of the current piscina (a resize makes a new one). */
  private readying: { piscina: Piscina; done: Promise<void> } | undefined;

  constructor(private readonly options: PoolOptions) {
    this.piscina = this.createPiscina();
  }

  /**
   * piscina marks its first workers ready before they have loaded anything,
   * so each thread gets one no-op at once (one per idle worker): its answer
   * comes only after that worker has loaded the worker file.
   */
  ready(): Promise<void> {
    const piscina = this.piscina;
    if (this.state !== 'open' || this.broken) return Promise.resolve();
    if (this.readying?.piscina !== piscina) {
      const probes = Array.from({ length: this.options.threads }, () =>
        piscina.run(READY_PROBE_JOB).catch((error: unknown) => {
          // A worker that cannot start: piscina may have given up on the pool, which fails its jobs with the cause.
          this.checkGaveUp(piscina, describeWorkerError(error instanceof Error ? error : new Error(String(error))));
        }),
      );
      this.readying = { piscina, done: Promise.all(probes).then(() => undefined) };
    }
    return this.readying.done;
  }

  run(job: TaskRef, signal: AbortSignal | undefined): Promise<JobResult> {
    if (this.state !== 'open') return Promise.reject(new TunebenchError('TB_POOL_CLOSED'));
    if (this.broken) return Promise.reject(this.broken);
    if (signal?.aborted) return Promise.reject(new TunebenchError('TB_JOB_ABORTED'));
    // Checked here rather than left to piscina so both pools reject at exactly the same depth.
    if (this.inFlight >= this.options.threads + this.options.maxQueue) {
      return Promise.reject(new TunebenchError('TB_QUEUE_FULL', { maxQueue: this.options.maxQueue }));
    }
    const submittedAt = epochNow();
    this.inFlight++;
    const pending: Promise<PoolJobReply> = this.piscina.run(job, signal ? { signal } : {});
    this.trackRunning();
    return pending.then(
      (reply) => this.onReply(reply, submittedAt),
      (error: unknown) => this.onError(error, job, signal),
    );
  }

  status(): PoolStatus {
    const { threads } = this.options;
    const queued = this.state === 'closed' ? 0 : this.piscina.queueSize;
    const busy = Math.min(threads, Math.max(0, this.inFlight - queued));
    return {
      threads,
      busy,
      idle: threads - busy,
      queued,
      completed: this.accounting.completed,
      failed: this.accounting.failed,
      busyMs: this.accounting.busyMsAt(),
    };
  }

  async resize(threads: number): Promise<void> {
    checkThreads(threads);
    if (this.state !== 'open') throw new TunebenchError('TB_POOL_CLOSED');
    if (this.inFlight > 0) {
throw new TunebenchError('TB_RESIZE_DURING_RUN', { inFlight: this.inFlight });
    }
    if (threads === this.options.threads) return;
    // piscina fixes its thread range at construction, so an idle pool is swapped for a new one.
    const previous = this.piscina;
    this.options.threads = threads;
    this.piscina = this.createPiscina();
    await previous.destroy();
  }

  close(): Promise<void> {
    this.closing ??= this.closeGracefully();
    return this.closing;
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.state = 'closed';
      await this.piscina.destroy();
    })();
    return this.disposing;
  }

  private async closeGracefully(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      // force: queued jobs are rejected now; running ones get piscina's closeTimeout, then their workers end.
      await this.piscina.close({ force: true });
    }
    await this.dispose();
  }

  private createPiscina(): Piscina {
    const { threads, maxQueue, workerFile } = this.options;
    const resourceLimits = resourceLimitsOf(this.options);
    const piscina = new Piscina({
      filename: workerFile,
      minThreads: threads,
      maxThreads: threads,
      maxQueue,
      closeTimeout: CLOSE_GRACE_MS,
      // Tunebench measures wait and run itself (across threads); piscina's own histograms would be paid twice.
      recordTiming: false,
      // By default piscina puts a job it could not hand to a worker back at the tail of its queue: under a
      // closed loop an early job then waits until the run ends (piscina#1031), which falsifies queue wait.
      stricterFIFO: true,
      ...(resourceLimits ? { resourceLimits } : {}),
    });
    // piscina reports a worker that dies while idle, and a close that timed out, as 'error' events
    // (without a listener they would throw). An idle worker's death matters only if piscina gave up.
    piscina.on('error', (error: Error) => this.checkGaveUp(piscina, describeWorkerError(error)));
    return piscina;
  }

  /**
   * piscina stops replacing workers once one dies while starting (a broken or
   * missing build); with none left its queued jobs would wait forever. End
   * them instead, naming the cause.
   */
  private checkGaveUp(piscina: Piscina, detail: string): void {
    if (piscina !== this.piscina || this.state !== 'open' || this.broken || piscina.threads.length > 0) return;
    this.broken = new TunebenchError('TB_WORKER_CRASHED', {
      task: 'startup',
      detail: `workers fail to start (${detail}); is ${this.options.workerFile} a valid build?`,
    });
    void piscina.destroy();
  }

  private trackRunning(): void {
    const running = this.inFlight - this.piscina.queueSize;
    this.accounting.setRunning(Math.min(this.options.threads, Math.max(0, running)));
  }

  private onReply(reply: PoolJobReply, submittedAt: number): JobResult {
    const finishedAt = epochNow();
    this.inFlight--;
    this.trackRunning();
    let result: JobResult;
    try {
      result = toJobResult(reply, submittedAt, finishedAt);
    } catch (error) {
      this.accounting.settled(error);
      throw error;
    }
    this.accounting.settled(undefined);
    return result;
  }

  private onError(error: unknown, job: TaskRef, signal: AbortSignal | undefined): never {
    this.inFlight--;
    if (this.state !== 'closed') this.trackRunning();
    const mapped = this.translate(error, job, signal);
    this.accounting.settled(mapped);
    throw mapped;
  }

  private translate(error: unknown, job: TaskRef, signal: AbortSignal | undefined): TunebenchError {
    if (error instanceof TunebenchError) return error;
    const cause = error instanceof Error ? error : new Error(String(error));
    if (this.broken && cause.message === piscinaMessages.terminating) return this.broken;
    if (cause.name === 'AbortError') {
      return new TunebenchError(signal?.aborted ? 'TB_JOB_ABORTED' : 'TB_POOL_CLOSED');
    }
    if (piscinaMessages.queueFull.has(cause.message)) {
      return new TunebenchError('TB_QUEUE_FULL', { maxQueue: this.options.maxQueue });
    }
    if (this.state !== 'open' && cause.message === piscinaMessages.terminating) return new TunebenchError('TB_POOL_CLOSED');
    const detail = describeWorkerError(cause);
    this.checkGaveUp(this.piscina, detail);
    return new TunebenchError('TB_WORKER_CRASHED', { task: job.name, detail });
  }
}
