/**
 * What every host (Electron window, web host, CLI) does the same way when it
 * binds the engine: where data and workers live, how engine streams reach one
 * peer, which Content-Security-Policy the renderer gets, and how a stop signal
 * from the terminal is handled.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Disposer, StreamName, StreamPayload } from '../shared/contract.js';
import type { Engine } from './engine/engine.js';

/** Runs and settings live here unless a host is told otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUNEBENCH_DATA_DIR || path.join(os.homedir(), '.tunebench');
}

/**
 * A path typed on a command line (`--node ./node-v22/bin/node`): relative
 * ones from the working directory; a bare name stays as typed (and is
 * refused where an absolute path is needed, rather than guessed).
 */
export function commandLinePath(typed: string): string {
  return typed.includes('/') || typed.includes(path.sep) ? path.resolve(typed) : typed;
}

/**
 * The built workers sit in `workers/` beside every built host entry
 * (out/main). Each entry passes its own import.meta.url: this module is
 * bundled into a shared chunk, so its own URL points elsewhere.
 */
export function workersDirBeside(entryUrl: string): string {
  return path.join(path.dirname(fileURLToPath(entryUrl)), 'workers');
}

/** One peer that receives engine streams: a WebSocket, a BrowserWindow, a terminal. */
export interface StreamOutlet {
  /** False once the peer is gone; nothing is delivered after that. */
  isOpen(): boolean;
  deliver<S extends StreamName>(stream: S, payload: StreamPayload<S>): void;
}

/**
 * Forwards every engine stream to one peer while it is open. The returned
 * disposer unsubscribes; a peer found closed unsubscribes itself so a
 * vanished window or socket never keeps a listener alive.
 */
export function forwardStreams(engine: Pick<Engine, 'onStream'>, outlet: StreamOutlet): Disposer {
  const unsubscribe = engine.onStream((stream, payload) => {
    if (!outlet.isOpen()) {
      unsubscribe();
      return;
    }
    outlet.deliver(stream, payload);
  });
  return unsubscribe;
}

/**
 * The renderer's Content-Security-Policy, the same on the desktop and in the
 * browser apart from where it may connect. Recharts sets inline styles, hence
 * 'unsafe-inline' for styles only; scripts come from our own files only.
 * The desktop's app scheme and the web host send it as a header;
 * src/renderer/index.html carries the same policy in a meta tag (without
 * frame-ancestors, which a meta tag cannot set) for Vite's dev server.
 */
export function contentSecurityPolicy(extraConnectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src ${["'self'", ...extraConnectSources].join(' ')}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM; a second signal means the user
 * will not wait for a clean stop, so the process leaves at once with 130.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void | Promise<void>): Disposer {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\nSecond ${signal}: exiting without waiting for a clean stop\n`);
      process.exit(130);
    }
    stopping = true;
    void Promise.resolve()
      .then(() => stop(signal))
      .catch((error: unknown) => {
        process.stderr.write(`tunebench: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
