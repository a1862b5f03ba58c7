/**
 * A subject child process on the user's Node runtime: forked with an IPC
 * channel, in its own process group (so stopping it takes its children too),
 * with one owner whose dispose() resolves only once the process has closed.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { TunebenchError } from '../../../shared/errors.js';
import type { Disposable } from '../disposable.js';
import type { NodeRuntime } from '../processes/node-runtime.js';
import { childChannel } from './probe-link.js';
import type { LinkChannel } from './probe-link.js';

const STDERR_TAIL_BYTES = 4_096;
/** After exit, how long to wait for the last stderr output. */
const STDIO_DRAIN_MS = 500;

export interface SubjectProcessOptions {
  modulePath: string;
  /** The user's Node.js, from the engine's NodeRuntimeResolver. */
  runtime: NodeRuntime;
  execArgv?: string[];
  env?: Record<string, string>;
  /** How long dispose waits for a polite exit before killing the process group. */
  stopGraceMs?: number;
}

export interface SubjectExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of stderr, for error messages. */
  stderr: string;
}

export class SubjectProcess implements Disposable {
  readonly child: ChildProcess;
  readonly channel: LinkChannel;
  /** Resolves when the process has exited and its stdio has drained. */
  readonly closed: Promise<SubjectExit>;
  private stderrTail = '';
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: SubjectProcessOptions) {
    this.child = fork(options.modulePath, [], {
      execPath: options.runtime.command,
      execArgv: options.execArgv ?? [],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: process.platform !== 'win32',
      serialization: 'json',
    });
    this.channel = childChannel(this.child);
    this.child.stdout?.resume();
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const streamsClosed = Promise.all(
      [this.child.stdout, this.child.stderr].map((stream) => stream && new Promise((resolve) => stream.once('close', resolve))),
    );
    this.closed = new Promise<SubjectExit>((resolve) => {
      // Not 'close': when the parent disconnects the IPC channel first, Node never emits it.
      this.child.once('exit', (code, signal) => {
        const grace = new Promise((done) => setTimeout(done, STDIO_DRAIN_MS).unref());
        void Promise.race([streamsClosed, grace]).then(() => resolve({ code, signal, stderr: this.stderrTail }));
      });
      // A process that never started (no node binary) has no exit, only an error.
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) resolve({ code: null, signal: null, stderr: error.message });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first message `accept` returns a value for; rejects if the process exits first or time runs out. */
  waitFor<T>(accept: (message: unknown) => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        stopListening();
        this.child.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new TunebenchError('TB_UNAVAILABLE', { detail: `${what}: no answer within ${timeoutMs} ms` }));
      }, timeoutMs);
      const stopListening = this.channel.onMessage((message) => {
        const value = accept(message);
        if (value === undefined) return;
        cleanup();
        resolve(value);
      });
      const onExit = () => {
        cleanup();
        void this.closed.then(({ code, signal, stderr }) =>
          reject(
            new TunebenchError('TB_UNAVAILABLE', {
              detail: `${what}: process exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
            }),
          ),
        );
      };
      this.child.once('exit', onExit);
    });
  }

  /** Asks politely (closing the IPC channel makes a subject exit), then kills the whole group. */
  dispose(): Promise<void> {
    this.disposing ??= this.stop();
    return this.disposing;
  }

  private async stop(): Promise<void> {
    if (this.running) {
      if (this.child.connected) this.child.disconnect();
      const grace = new Promise<'timeout'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), this.options.stopGraceMs ?? 2_000);
        timer.unref();
      });
      if ((await Promise.race([this.closed, grace])) === 'timeout') this.killGroup();
    } else {
      // The leader is gone; anything it left in its group goes too.
      this.killGroup();
    }
    await this.closed;
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (!pid) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
