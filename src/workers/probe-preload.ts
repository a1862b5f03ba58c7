/**
 * Loads the runtime probe into any Node process started with an IPC channel:
 *   node --import <workers>/probe-preload.js app.js     (or in NODE_OPTIONS)
 * so a process Tunebench did not write (a user's service, a cluster's
 * workers, which inherit NODE_OPTIONS) reports its runtime like a sandbox.
 * TUNEBENCH_PROBE_INTERVAL_MS sets the interval; without an IPC channel it
 * does nothing.
 */
import { ipcChannel, PROBE_INTERVAL_ENV, serveProbe } from '../node/probe/serve.js';
import type { ProbeChannel } from '../node/probe/serve.js';

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

if (typeof process.send === 'function') {
  serveProbe(afterHostListens(ipcChannel()), { intervalMs: Number(process.env[PROBE_INTERVAL_ENV] ?? 1_000) });
}
