/**
 * Entry of the cluster supervisor child process (built as
 * workers/cluster-supervisor.js). The engine starts it on the user's Node
 * runtime and drives it over the IPC channel; it exits when that channel goes.
 */
import net from 'node:net';
import { SupervisorCommandSchema, type SupervisorMessage } from '../../shared/cluster-protocol.js';
import { toErrorPayload, TunebenchError } from '../../shared/errors.js';
import { describeZodError } from '../../shared/validation.js';
import { serveProbe, type ProbeChannel } from '../../node/probe/serve.js';
import { Supervisor } from './supervisor.js';

let supervisor: Supervisor | undefined;
/** Probe commands addressed to the supervisor itself (an envelope without a slot). */
const ownProbeListeners = new Set<(message: unknown) => void>();

/** The supervisor's own probe speaks in envelopes, like the test servers' it relays. */
const ownProbeChannel: ProbeChannel = {
  send: (message) =>
    new Promise<void>((resolve, reject) => {
      if (!process.connected) return reject(new Error('IPC channel closed'));
      process.send!({ type: 'probe', message } satisfies SupervisorMessage, undefined, {}, (error) => (error ? reject(error) : resolve()));
    }),
  onMessage(listener) {
    ownProbeListeners.add(listener);
    return () => ownProbeListeners.delete(listener);
  },
};

function send(message: SupervisorMessage, then?: () => void): void {
  if (process.connected) process.send?.(message, undefined, {}, () => then?.());
  else then?.();
}

function exitAfter(message: SupervisorMessage, code: number): void {
  send(message, () => process.exit(code));
}

/** Port 0 would give each generation of workers a new port once all are gone; pin one free port instead. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

process.on('message', (raw) => {
  const parsed = SupervisorCommandSchema.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'event', event: { type: 'fault', message: `ignored a malformed command: ${describeZodError(parsed.error)}`, at: Date.now() } });
    return;
  }
  const command = parsed.data;
  switch (command.type) {
    case 'start': {
      if (supervisor) return;
      void (async () => {
        try {
          if (command.settings.probeIntervalMs > 0) serveProbe(ownProbeChannel, { intervalMs: command.settings.probeIntervalMs });
          const port = command.settings.port || (await freePort());
          supervisor = new Supervisor(command.settings, command.serverEntry, port, send);
          await supervisor.start();
          send({ type: 'ready', port, pid: process.pid, node: process.version, workers: supervisor.snapshot() });
        } catch (error) {
          exitAfter({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }, 1);
        }
      })();
      return;
    }
    case 'fault': {
      try {
        if (!supervisor) throw new TunebenchError('TB_CLUSTER_NOT_RUNNING', { alternative: '' });
        send({ type: 'reply', id: command.id, ok: true, message: supervisor.fault(command.fault) });
      } catch (error) {
        send(refusal(command.id, error));
      }
      return;
    }
    case 'rolling-restart': {
      const running = supervisor;
      if (!running) {
        send(refusal(command.id, new TunebenchError('TB_CLUSTER_NOT_RUNNING', { alternative: '' })));
        return;
      }
      running.rollingRestart().then(
        () => send({ type: 'reply', id: command.id, ok: true }),
        (error: unknown) => send(refusal(command.id, error)),
      );
      return;
    }
    case 'probe': {
      if (command.slot === undefined) for (const listener of ownProbeListeners) listener(command.message);
      else supervisor?.probeCommand(command.slot, command.message);
      return;
    }
    case 'shutdown': {
      void (supervisor?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
    }
  }
});

// The engine is gone (closed, crashed or killed): take the workers down with us.
process.on('disconnect', () => {
  supervisor?.killAll();
  process.exit(0);
});

/** A command's refusal as a reply: the error's catalogue code and message (a plain Error becomes TB_INTERNAL). */
function refusal(id: number, error: unknown): SupervisorMessage {
  const { code, message } = toErrorPayload(error);
  return { type: 'reply', id, ok: false, code, message };
}
