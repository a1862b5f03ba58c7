/**
 * Puts the probe on a channel to the engine: a child process's IPC channel or
 * a worker thread's MessagePort. The same channel carries the engine's
 * inspection commands (snapshot, profiles) and their replies.
 */
import type { MessagePort } from 'node:worker_threads';
import { TunebenchError } from '../../shared/errors.js';
import { PROBE_COMMAND, PROBE_REPLY, ProbeCommandMessageSchema } from '../../shared/runtime.js';
import type { ProbeReply } from '../../shared/runtime.js';
import { runInspectCommand } from './inspect.js';
import { startProbe } from './probe.js';
import type { Disposer, ProbeOptions } from './probe.js';

/** Environment variable a probed subject reads its sampling interval from. */
export const PROBE_INTERVAL_ENV = 'TUNEBENCH_PROBE_INTERVAL_MS';

export interface ProbeChannel {
  /** A returned promise settles when the message has left (backpressure for the probe). */
  send(message: unknown): void | Promise<unknown>;
  onMessage(listener: (message: unknown) => void): Disposer;
}

/** The current child process's IPC channel to its parent. */
export function ipcChannel(): ProbeChannel {
  if (typeof process.send !== 'function') throw new Error('ipcChannel: this process has no IPC channel to a parent');
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        if (!process.connected) return reject(new Error('IPC channel closed'));
        process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
      }),
    onMessage(listener) {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}

/** A MessagePort (worker thread ↔ parent); postMessage copies at once, so there is no backpressure to wait for. */
export function portChannel(port: MessagePort): ProbeChannel {
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

/** Starts the probe on a channel and answers inspection commands arriving on it; the disposer stops both. */
export function serveProbe(channel: ProbeChannel, options: Omit<ProbeOptions, 'send'> = {}): Disposer {
  const stopProbe = startProbe({ ...options, send: (batch) => channel.send(batch) });
  const stopListening = channel.onMessage((message) => {
    if (!message || typeof message !== 'object' || (message as { type?: unknown }).type !== PROBE_COMMAND) return;
    const parsed = ProbeCommandMessageSchema.safeParse(message);
    if (!parsed.success) return;
    const { id, request } = parsed.data;
    const reply = (fields: Omit<ProbeReply, 'type' | 'id'>) => {
      try {
        void Promise.resolve(channel.send({ type: PROBE_REPLY, id, ...fields })).catch(() => {});
      } catch {
        // The engine went away; nobody is waiting for this reply.
      }
    };
    runInspectCommand(request).then(
      (bytes) => reply({ ok: true, bytes }),
      (error: unknown) =>
        reply({
          ok: false,
          error: new TunebenchError('TB_PROBE_FAILED', {
            command: request.command,
            reason: error instanceof Error ? error.message : String(error),
          }).toPayload(),
        }),
    );
  });
  return () => {
    stopListening();
    stopProbe();
  };
}
