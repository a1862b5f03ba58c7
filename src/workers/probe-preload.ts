/**
 * Loads the runtime probe into any Node process:
 *   node --import <workers>/probe-preload.js app.js     (or in NODE_OPTIONS)
 * so a process Tunebench did not write reports its runtime like a sandbox.
 * With TUNEBENCH_PROBE_SOCKET and TUNEBENCH_PROBE_TOKEN set (a user's service
 * and every Node process it starts, node:cluster workers and child processes
 * included, which inherit NODE_OPTIONS and the environment) each process
 * connects to the engine's socket on its own; otherwise a process started
 * with an IPC channel uses it. TUNEBENCH_PROBE_INTERVAL_MS sets the interval.
 * Only main threads are probed (a preload also runs in worker threads).
 */
import { isMainThread } from 'node:worker_threads';
import { ipcChannel, PROBE_INTERVAL_ENV, serveProbe } from '../node/probe/serve.js';
import type { ProbeChannel } from '../node/probe/serve.js';
import { PROBE_SOCKET_ENV, PROBE_TOKEN_ENV, socketChannel } from '../node/probe/socket-channel.js';

/**
 * Listens for commands only once the host itself listens: a 'message'
 * listener added before the host's main module has loaded would swallow the
 * host's first messages, and would keep a host alive that never uses IPC.
 */
function afterHostListens(channel: ProbeChannel): ProbeChannel {
  return {
    send: channel.send,
    onMessage(listener) {
      let stop: (() => void) | undefined;
      let cancelled = false;
      const attach = () => {
        if (!cancelled) stop = channel.onMessage(listener);
      };
      const onNewListener = (event: string | symbol) => {
        if (event !== 'message') return;
        process.off('newListener', onNewListener);
        // After the host's own listener is in place.
        setImmediate(attach);
      };
      if (process.listenerCount('message') > 0) attach();
      else process.on('newListener', onNewListener);
      return () => {
        cancelled = true;
        process.off('newListener', onNewListener);
        stop?.();
      };
    },
  };
}

function intervalMs(): number {
  const value = Number(process.env[PROBE_INTERVAL_ENV] ?? 1_000);
  return Number.isFinite(value) && value >= 100 && value <= 60_000 ? value : 1_000;
}

const socketPath = process.env[PROBE_SOCKET_ENV];
const token = process.env[PROBE_TOKEN_ENV];
if (!isMainThread) {
  // A worker thread of a probed process: the process's probe covers it.
} else if (socketPath && token) {
  serveProbe(socketChannel(socketPath, token), { intervalMs: intervalMs() });
} else if (typeof process.send === 'function') {
  serveProbe(afterHostListens(ipcChannel()), { intervalMs: intervalMs() });
}
