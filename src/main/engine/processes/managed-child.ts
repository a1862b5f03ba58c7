import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import type { Disposer } from '../../../shared/contract.js';
import { TunebenchError } from '../../../shared/errors.js';
import { describeZodError } from '../../../shared/validation.js';

export type ChildState = 'starting' | 'ready' | 'stopping' | 'exited';
/** What an exit means: asked-for and clean, failed with a code, killed by a signal, or never started. */
export type ChildOutcome = 'clean' | 'error' | 'killed' | 'spawn-failed';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  outcome: ChildOutcome;
  /** The last lines the child wrote to stderr, for error messages. */
  stderrTail: string[];
}

export interface ManagedChildOptions<In> {
  /** Shown in errors and logs, e.g. "cluster supervisor". */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Every message from the child is parsed with this; anything else is reported as a protocol error. */
  inbound: z.ZodType<In>;
  /** The message that says the child is ready. */
  isReady: (message: In) => boolean;
  readyTimeoutMs: number;
  /** Run the child as this user and group (the embedded PostgreSQL's watchdog runs as the "postgres" system user under root). */
  uid?: number;
  gid?: number;
  /**
   * Open an IPC channel to the child (default true). A user's service gets
   * none: nothing it sends is a message, and it becomes ready when its owner
   * says so (markReady), after an HTTP check or a log line.
   */
  ipc?: boolean;
  /** The child's working directory; default the workbench's. */
  cwd?: string;
  /** The environment `env` is laid over; default the workbench's own. */
  baseEnv?: NodeJS.ProcessEnv;
}

type Listener<T> = (value: T) => void;
const STDERR_LINES_KEPT = 20;

function listeners<T>() {
  const set = new Set<Listener<T>>();
  return {
    add(listener: Listener<T>): Disposer {
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(value: T) {
      for (const listener of set) listener(value);
    },
  };
}

/**
 * One child process with an IPC channel, in its own process group so that
 * stopping it takes its descendants too. Typed lifecycle: starting → ready →
 * stopping → exited; `ready` and `closed` are promises.
 */
export class ManagedChild<In, Out> {
  readonly ready: Promise<In>;
  readonly closed: Promise<ChildExit>;
  private readonly process: ChildProcess;
  private currentState: ChildState = 'starting';
  private readonly stderrTail: string[] = [];
  private readonly messageListeners = listeners<In>();
  private readonly outputListeners = listeners<{ stream: 'stdout' | 'stderr' | 'protocol'; line: string }>();
  private exitInfo: ChildExit | undefined;
  private manualReady: ((value: In) => void) | undefined;

  constructor(private readonly options: ManagedChildOptions<In>) {
    this.process = spawn(options.command, options.args, {
      stdio: options.ipc === false ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: stop() kills the whole group, never anything by name.
      detached: process.platform !== 'win32',
      env: { ...(options.baseEnv ?? process.env), ...options.env },
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      windowsHide: true,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    this.watchOutput();
    this.closed = new Promise<ChildExit>((resolve) => {
      this.process.once('error', (error) => {
        // Only a failed spawn leaves no 'close' behind.
        if (this.process.pid === undefined) this.finish(resolve, null, null, `spawn: ${error.message}`);
      });
      this.process.once('close', (code, signal) => this.finish(resolve, code, signal));
    });
    this.ready = this.waitReady();
    // Callers that never await `ready` must not see an unhandled rejection.
    this.ready.catch(() => {});
    this.process.on('message', (raw) => this.receive(raw));
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get state(): ChildState {
    return this.currentState;
  }

  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  onMessage(listener: Listener<In>): Disposer {
    return this.messageListeners.add(listener);
  }

  onOutput(listener: Listener<{ stream: 'stdout' | 'stderr' | 'protocol'; line: string }>): Disposer {
    return this.outputListeners.add(listener);
  }

  /**
   * Resolves with the first message `accept` returns a value for; rejects
   * (TB_CHILD_FAILED, naming `what`) when the child closes first or no such
   * message comes within timeoutMs.
   */
  waitFor<T>(accept: (message: In) => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListening();
        done();
      };
      const timer = setTimeout(
        () => settle(() => reject(new TunebenchError('TB_CHILD_FAILED', { name: this.name, detail: `${what}: no answer within ${timeoutMs} ms` }))),
        timeoutMs,
      );
      const stopListening = this.messageListeners.add((message) => {
        const value = accept(message);
        if (value !== undefined) settle(() => resolve(value));
      });
      void this.closed.then((exit) =>
        settle(() => reject(new TunebenchError('TB_CHILD_FAILED', { name: this.name, detail: `${what}: it exited (${describeExit(exit)})${this.tailText()}` }))),
      );
    });
  }

  /** Says the child is ready (for a child whose readiness its owner checks, e.g. over HTTP): `ready` resolves with `value`. */
  markReady(value: In): void {
    this.manualReady?.(value);
  }

  send(message: Out): void {
    if (!this.process.connected) {
      throw new TunebenchError('TB_CHILD_FAILED', { name: this.name, detail: 'its IPC channel is closed' });
    }
    this.process.send(message as object);
  }

  /**
   * Asks the child to stop (the caller's message, sent first), waits up to
   * graceMs for it to exit, then SIGKILLs its whole process group. Resolves
   * when the child has closed.
   */
  async stop(graceMs: number, stopMessage?: Out): Promise<ChildExit> {
    if (this.exitInfo) return this.exitInfo;
    if (this.currentState !== 'stopping') {
      this.currentState = 'stopping';
      if (stopMessage !== undefined && this.process.connected) this.process.send(stopMessage as object);
      else this.killGroup('SIGTERM');
    }
    const timer = setTimeout(() => this.killGroup('SIGKILL'), graceMs);
    try {
      return await this.closed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Signals the child's whole process group (the child and everything it forked). */
  killGroup(signal: NodeJS.Signals): void {
    const pid = this.process.pid;
    if (pid === undefined || this.exitInfo) return;
    try {
      if (process.platform === 'win32') this.process.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  private async waitReady(): Promise<In> {
    return new Promise<In>((resolve, reject) => {
      const timer = setTimeout(() => {
        disposeMessage();
        this.manualReady = undefined;
        reject(new TunebenchError('TB_CHILD_FAILED', {
          name: this.name,
          detail: `not ready after ${this.options.readyTimeoutMs} ms${this.tailText()}`,
        }));
        this.killGroup('SIGKILL');
      }, this.options.readyTimeoutMs);
      const becomeReady = (message: In) => {
        clearTimeout(timer);
        disposeMessage();
        this.manualReady = undefined;
        if (this.currentState === 'starting') this.currentState = 'ready';
        resolve(message);
      };
      this.manualReady = becomeReady;
      const disposeMessage = this.messageListeners.add((message) => {
        if (this.options.isReady(message)) becomeReady(message);
      });
      void this.closed.then((exit) => {
        clearTimeout(timer);
        disposeMessage();
        this.manualReady = undefined;
        reject(new TunebenchError('TB_CHILD_FAILED', { name: this.name, detail: `exited before it was ready (${describeExit(exit)})${this.tailText()}` }));
      });
    });
  }

  private receive(raw: unknown): void {
    const parsed = this.options.inbound.safeParse(raw);
    if (!parsed.success) {
      this.outputListeners.emit({ stream: 'protocol', line: `malformed message: ${describeZodError(parsed.error)}` });
      return;
    }
    this.messageListeners.emit(parsed.data);
  }

  private watchOutput(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = this.process[stream];
      if (!readable) continue;
      createInterface({ input: readable, crlfDelay: Infinity }).on('line', (line) => {
        if (stream === 'stderr') {
          this.stderrTail.push(line);
          if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
        }
        this.outputListeners.emit({ stream, line });
      });
    }
  }

  private finish(resolve: (exit: ChildExit) => void, code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void {
    if (this.exitInfo) return;
    if (spawnError) this.stderrTail.push(spawnError);
    const outcome: ChildOutcome = spawnError ? 'spawn-failed' : signal ? 'killed' : code === 0 ? 'clean' : 'error';
    this.exitInfo = { code, signal, outcome, stderrTail: [...this.stderrTail] };
    this.currentState = 'exited';
    // Whatever the child forked shares its group; none may outlive it.
    const pid = this.process.pid;
    if (pid !== undefined && process.platform !== 'win32') {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is already empty.
      }
    }
    resolve(this.exitInfo);
  }

  private tailText(): string {
    return this.stderrTail.length ? `; stderr: ${this.stderrTail.slice(-5).join(' | ').slice(0, 1_000)}` : '';
  }
}

export function describeExit(exit: ChildExit): string {
  if (exit.outcome === 'spawn-failed') return `could not start: ${exit.stderrTail.at(-1) ?? 'unknown error'}`;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
