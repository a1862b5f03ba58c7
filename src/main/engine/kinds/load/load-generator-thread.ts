import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  LoadGeneratorMessageSchema,
  type LoadGeneratorCommand,
  type LoadGeneratorConfig,
  type LoadInterval,
  type LoadResult,
} from '../../../../shared/cluster-protocol.js';
import { TunebenchError } from '../../../../shared/errors.js';
import { describeZodError } from '../../../../shared/validation.js';

export const LOAD_GENERATOR_ENTRY = 'load-generator.js';

export interface LoadGeneratorListener {
  /** The warm-up is over: the measured window starts now. */
  measuring?(): void;
  interval?(interval: LoadInterval): void;
}

/**
 * The load generator on its own worker thread. `result` settles once: with
 * the generator's result, or with an error if the thread fails or dies.
 */
export class LoadGeneratorThread {
  readonly result: Promise<LoadResult>;
  private readonly worker: Worker;
  private settled = false;

  constructor(workersDir: string, config: LoadGeneratorConfig, listener: LoadGeneratorListener = {}) {
    const entry = join(workersDir, LOAD_GENERATOR_ENTRY);
    if (!existsSync(entry)) {
      throw new TunebenchError('TB_NOT_BUILT', { file: entry });
    }
    this.worker = new Worker(entry, { workerData: config });
    this.result = new Promise<LoadResult>((resolve, reject) => {
      const fail = (detail: string) => {
        if (this.settled) return;
        this.settled = true;
        reject(new TunebenchError('TB_INTERNAL', { detail: `load generator: ${detail}` }));
      };
      this.worker.on('message', (raw) => {
        const parsed = LoadGeneratorMessageSchema.safeParse(raw);
        if (!parsed.success) return fail(`malformed message: ${describeZodError(parsed.error)}`);
        const message = parsed.data;
        if (message.type === 'interval') listener.interval?.(message.interval);
        else if (message.type === 'measuring') listener.measuring?.();
        else if (message.type === 'failed') fail(message.message);
        else if (!this.settled) {
          this.settled = true;
          resolve(message.result);
        }
      });
      this.worker.on('error', (error) => fail(error.message));
      this.worker.on('exit', (code) => fail(`thread exited with code ${code} before finishing`));
    });
    this.result.then(
      () => this.dispose(),
      () => this.dispose(),
    );
  }

  /** Ends the load early; `result` still resolves with what was measured. */
  stop(): void {
    if (!this.settled) this.worker.postMessage({ type: 'stop' } satisfies LoadGeneratorCommand);
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
