/**
 * The engine's end of the probe socket of one service instance (see
 * node/probe/socket-channel.ts): a Unix socket in a private temporary folder
 * (a named pipe on Windows). A connection counts only after it proves it
 * holds the instance's token in its first line; everything after is parsed
 * as probe messages by the ProbeLink that owns the process, never trusted
 * unparsed. Lines are bounded; connections are counted and capped.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LineSplitter, PROBE_HELLO } from '../../../node/probe/socket-channel.js';
import type { LinkChannel } from '../runtime/probe-link.js';

const HELLO_TIMEOUT_MS = 5_000;
/** A service with more Node processes than this gets the rest unprobed. */
const MAX_PROCESSES = 256;

const HelloSchema = z.object({
  type: z.literal(PROBE_HELLO),
  token: z.string().max(200),
  pid: z.number().int().positive(),
  ppid: z.number().int().nonnegative(),
  node: z.string().max(50),
  argv: z.array(z.string().max(300)).max(3),
});

export interface ProbedProcess {
  pid: number;
  ppid: number;
  node: string;
  argv: string[];
  /** Probe messages in, inspection commands out. */
  channel: LinkChannel;
  /** Resolves when the connection closes (the process ended, or dropped its probe). */
  closed: Promise<void>;
}

export class ProbeSocketServer {
  private readonly sockets = new Set<net.Socket>();
  private accepted = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: net.Server,
    readonly socketPath: string,
    readonly token: string,
    private readonly folder: string | undefined,
  ) {}

  /** Listens on a fresh private socket; `onProcess` is told about each process that proved the token. */
  static async listen(onProcess: (process: ProbedProcess) => void): Promise<ProbeSocketServer> {
    const token = randomBytes(24).toString('base64url');
    let folder: string | undefined;
    let socketPath: string;
    if (process.platform === 'win32') {
      socketPath = `\\\\.\\pipe\\tunebench-probe-${randomBytes(8).toString('hex')}`;
    } else {
      folder = await fs.mkdtemp(path.join(os.tmpdir(), 'tb-probe-'));
      await fs.chmod(folder, 0o700);
      socketPath = path.join(folder, 's');
    }
    const holder: { instance?: ProbeSocketServer } = {};
    const server = net.createServer((socket) => holder.instance?.accept(socket, onProcess));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    holder.instance = new ProbeSocketServer(server, socketPath, token, folder);
    return holder.instance;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const socket of this.sockets) socket.destroy();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      if (this.folder) await fs.rm(this.folder, { recursive: true, force: true }).catch(() => {});
    })();
    return this.closing;
  }

  private accept(socket: net.Socket, onProcess: (process: ProbedProcess) => void): void {
    if (this.closing || this.accepted >= MAX_PROCESSES) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    const closed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        this.sockets.delete(socket);
        resolve();
      }),
    );
    const listeners = new Set<(message: unknown) => void>();
    let introduced = false;
    const helloTimer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    const splitter = new LineSplitter(
      (line) => {
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          if (!introduced) socket.destroy();
          return;
        }
        if (introduced) {
          for (const listener of listeners) listener(message);
          return;
        }
        const hello = HelloSchema.safeParse(message);
        if (!hello.success || !sameToken(hello.data.token, this.token)) {
          socket.destroy();
          return;
        }
        introduced = true;
        clearTimeout(helloTimer);
        this.accepted += 1;
        onProcess({
          pid: hello.data.pid,
          ppid: hello.data.ppid,
          node: hello.data.node,
          argv: hello.data.argv,
          closed,
          channel: {
            send: (outgoing) => {
              if (socket.destroyed) throw new Error('the process\'s probe is gone');
              socket.write(`${JSON.stringify(outgoing)}\n`);
            },
            onMessage(listener) {
              listeners.add(listener);
              return () => listeners.delete(listener);
            },
          },
        });
      },
      () => socket.destroy(),
    );
    socket.on('data', (chunk: string) => splitter.push(chunk));
    void closed.then(() => clearTimeout(helloTimer));
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
