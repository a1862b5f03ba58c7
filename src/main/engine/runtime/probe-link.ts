/**
 * The engine's end of a probe channel: parses the probe's batches (never
 * trusting a subject's messages unparsed) and sends inspection commands,
 * matching each reply to its request.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { isErrorCode, TunebenchError } from '../../../shared/errors.js';
import {
  PROBE_BATCH,
  PROBE_COMMAND,
  PROBE_REPLY,
  ProbeBatchSchema,
  ProbeReplySchema,
} from '../../../shared/runtime.js';
import type { ProbeBatch, ProbeCommand } from '../../../shared/runtime.js';
import type { Disposable } from '../disposable.js';

export interface LinkChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

export function threadChannel(port: Worker | MessagePort): LinkChannel {
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

interface Pending {
  command: string;
  resolve(bytes: number): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ProbeLink implements Disposable {
  private readonly pending = new Map<number, Pending>();
  private readonly stopListening: () => void;
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly channel: LinkChannel,
    private readonly onBatch: (batch: ProbeBatch) => void,
  ) {
    this.stopListening = channel.onMessage((message) => this.receive(message));
  }

  /** Asks the probed process to run an inspection command; resolves with the bytes it wrote. */
  command(request: ProbeCommand, timeoutMs: number): Promise<number> {
    if (this.disposed) return Promise.reject(new TunebenchError('TB_PROCESS_ENDED', { when: `before ${request.command} was sent` }));
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TunebenchError('TB_PROBE_TIMEOUT', { command: request.command, ms: timeoutMs }));
      }, timeoutMs);
      this.pending.set(id, { command: request.command, resolve, reject, timer });
      try {
        this.channel.send({ type: PROBE_COMMAND, id, request });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopListening();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new TunebenchError('TB_PROCESS_ENDED', { when: 'before answering' }));
      this.pending.delete(id);
    }
  }

  private receive(message: unknown): void {
    const type = (message as { type?: unknown } | null)?.type;
    if (type === PROBE_BATCH) {
      const parsed = ProbeBatchSchema.safeParse(message);
      if (parsed.success) this.onBatch(parsed.data);
      return;
    }
    if (type !== PROBE_REPLY) return;
    const parsed = ProbeReplySchema.safeParse(message);
    if (!parsed.success) return;
    const pending = this.pending.get(parsed.data.id);
    if (!pending) return;
    this.pending.delete(parsed.data.id);
    clearTimeout(pending.timer);
    const { ok, bytes, error } = parsed.data;
    if (ok) pending.resolve(bytes ?? 0);
    else if (error && isErrorCode(error.code)) pending.reject(TunebenchError.fromPayload({ code: error.code, message: error.message }));
    else pending.reject(new TunebenchError('TB_PROBE_FAILED', { command: pending.command, reason: error?.message ?? 'no reason given' }));
  }
}
