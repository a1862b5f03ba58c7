/**
 * The engine's side of a Node.js inspector reached over its WebSocket (a
 * process the engine attached to): the HTTP discovery endpoints
 * (/json/version, /json/list), then protocol commands matched to their
 * replies and events. Everything the other process sends is parsed and
 * bounded; the address is always one the engine chose, never one the
 * process named.
 */
import http from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { z } from 'zod';

const HTTP_TIMEOUT_MS = 2_000;
const MAX_JSON_BYTES = 1024 * 1024;
/** A CPU profile of several minutes is tens of MB in one reply. */
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** How a host goes into a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function getJson(host: string, port: number, pathname: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port, path: pathname, timeout: HTTP_TIMEOUT_MS, headers: { host: `${urlHost(host)}:${port}` } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_JSON_BYTES) {
          request.destroy(new Error(`${pathname} answered more than ${MAX_JSON_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`${pathname} answered HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error(`${pathname} did not answer JSON`));
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${pathname} did not answer within ${HTTP_TIMEOUT_MS} ms`)));
    request.on('error', reject);
  });
}

const VersionSchema = z.object({ Browser: z.string() });
const TargetListSchema = z.array(z.object({ webSocketDebuggerUrl: z.string(), type: z.string().optional() }));

/** The Node.js version behind an inspector port ("v20.20.2"), or an error when it is not a Node.js inspector. */
export async function inspectorVersion(host: string, port: number): Promise<string> {
  const parsed = VersionSchema.safeParse(await getJson(host, port, '/json/version'));
  const match = parsed.success ? /^node\.js\/(v[\w.-]{1,40})$/.exec(parsed.data.Browser) : null;
  if (!match) throw new Error(`port ${port} is not a Node.js inspector`);
  return match[1]!;
}

/** The WebSocket address of the inspector's target, rebuilt on our own host and port (only its id is taken from the answer). */
export async function inspectorSocketUrl(host: string, port: number): Promise<string> {
  const parsed = TargetListSchema.safeParse(await getJson(host, port, '/json/list'));
  if (!parsed.success || parsed.data.length === 0) throw new Error(`the inspector on port ${port} lists no target`);
  let pathname: string;
  try {
    pathname = new URL(parsed.data[0]!.webSocketDebuggerUrl).pathname;
  } catch {
    throw new Error(`the inspector on port ${port} named no valid WebSocket address`);
  }
  if (!/^\/[\w-]{1,100}$/.test(pathname)) throw new Error(`the inspector on port ${port} named an unexpected target "${pathname.slice(0, 100)}"`);
  return `ws://${urlHost(host)}:${port}${pathname}`;
}

const ReplySchema = z.object({
  id: z.number(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ message: z.string() }).optional(),
});
const EventSchema = z.object({ method: z.string(), params: z.record(z.string(), z.unknown()).optional() });

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Raised for every command pending or sent once the socket has closed. */
export class InspectorClosedError extends Error {
  constructor() {
    super('the inspector connection closed');
    this.name = 'InspectorClosedError';
  }
}

export class InspectorSession {
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  private readonly closeListeners = new Set<() => void>();
  private nextId = 1;
  private isClosed = false;
  /** Resolves when the socket has closed, whoever closed it. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(new InspectorClosedError());
          this.pending.delete(id);
        }
        for (const listener of this.closeListeners) listener();
        resolve();
      });
    });
    socket.on('message', (data: RawData) => this.receive(data));
    // An error is followed by close; the commands fail there.
    socket.on('error', () => {});
  }

  static open(url: string, timeoutMs = 3_000): Promise<InspectorSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, followRedirects: false });
      socket.once('open', () => {
        socket.off('error', reject);
        resolve(new InspectorSession(socket));
      });
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  post(method: string, params?: Record<string, unknown>, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<Record<string, unknown>> {
    if (this.isClosed) return Promise.reject(new InspectorClosedError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ id, method, ...(params ? { params } : {}) }), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  /** Sends a command whose answer will not come (it closes the inspector we talk through). */
  sendOnly(method: string, params: Record<string, unknown>): void {
    if (!this.isClosed) this.socket.send(JSON.stringify({ id: this.nextId++, method, params }));
  }

  onEvent(method: string, listener: (params: Record<string, unknown>) => void): () => void {
    let set = this.eventListeners.get(method);
    if (!set) this.eventListeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Stops reading from the socket (back-pressure while a large answer is written to disk). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): Promise<void> {
    if (!this.isClosed) this.socket.close();
    const forced = setTimeout(() => this.socket.terminate(), 1_000);
    return this.closed.finally(() => clearTimeout(forced));
  }

  private receive(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (message && typeof message === 'object' && 'id' in message) {
      const reply = ReplySchema.safeParse(message);
      if (!reply.success) return;
      const pending = this.pending.get(reply.data.id);
      if (!pending) return;
      this.pending.delete(reply.data.id);
      clearTimeout(pending.timer);
      if (reply.data.error) pending.reject(new Error(reply.data.error.message.slice(0, 500)));
      else pending.resolve(reply.data.result ?? {});
      return;
    }
    const event = EventSchema.safeParse(message);
    if (!event.success) return;
    for (const listener of this.eventListeners.get(event.data.method) ?? []) listener(event.data.params ?? {});
  }
}
