/**
 * The probe's channel from a process that is not the engine's IPC child: a
 * user's service and everything it starts (node:cluster workers, child
 * processes), which inherit NODE_OPTIONS=--import <probe-preload> and these
 * variables. Each process connects on its own to the engine's socket (a Unix
 * socket, or a named pipe on Windows), says who it is with the run's token,
 * then sends probe batches and answers inspection commands as
 * newline-delimited JSON. The socket never keeps its process alive, and a
 * socket that fails is dropped: the probe must not change how the service
 * runs or ends.
 */
import net from 'node:net';
import type { ProbeChannel } from './serve.js';

/** Where the engine listens for this service's probes. */
export const PROBE_SOCKET_ENV = 'TUNEBENCH_PROBE_SOCKET';
/** The secret a connection proves it belongs to this service with. */
export const PROBE_TOKEN_ENV = 'TUNEBENCH_PROBE_TOKEN';
/** A process's first line on the socket. */
export const PROBE_HELLO = 'tunebench:probe-hello';
/** The longest line either side accepts; a longer one closes the connection. */
export const MAX_PROBE_LINE_BYTES = 4 * 1024 * 1024;

export interface ProbeHello {
  type: typeof PROBE_HELLO;
  token: string;
  pid: number;
  ppid: number;
  node: string;
  /** The first arguments of the process (its script), cut short: for the user to tell processes apart. */
  argv: string[];
}

/** Splits a byte stream into lines, refusing any longer than `maxBytes`. */
export class LineSplitter {
  private buffered = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
    private readonly maxBytes = MAX_PROBE_LINE_BYTES,
  ) {}

  push(chunk: string): void {
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line) this.onLine(line);
      newline = this.buffered.indexOf('\n');
    }
    if (this.buffered.length > this.maxBytes) {
      this.buffered = '';
      this.onTooLong();
    }
  }
}

/** Connects to the engine's probe socket and introduces this process; every failure closes it quietly. */
export function socketChannel(socketPath: string, token: string): ProbeChannel {
  const socket = net.createConnection(socketPath);
  socket.setEncoding('utf8');
  // The probe is a guest: the process ends when its own work ends.
  socket.unref();
  socket.on('error', () => socket.destroy());
  const listeners = new Set<(message: unknown) => void>();
  const splitter = new LineSplitter(
    (line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      for (const listener of listeners) listener(message);
    },
    () => socket.destroy(),
  );
  socket.on('data', (chunk: string) => splitter.push(chunk));
  const hello: ProbeHello = {
    type: PROBE_HELLO,
    token,
    pid: process.pid,
    ppid: process.ppid,
    node: process.version,
    argv: process.argv.slice(1, 4).map((arg) => arg.slice(0, 300)),
  };
  socket.write(`${JSON.stringify(hello)}\n`);
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return reject(new Error('probe socket closed'));
        socket.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
      }),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
