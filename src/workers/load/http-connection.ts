import net from 'node:net';
import tls from 'node:tls';
import { ResponseParser } from './response-parser.js';

export interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** One request on its way: what to send and when it was meant to go (latency counts from there). */
export interface PendingRequest {
  bytes: Buffer;
  head: boolean;
  intendedAt: number;
  sentAt: number;
  /** Which entry of the request mix it is. */
  mix: number;
  /** Open loop: when it began waiting for a free connection (absent if one was free at once). */
  queuedAt?: number;
}

export type FailureKind = 'timeout' | 'reset' | 'refused' | 'other';

export interface ConnectionOwner {
  /** worker: the test-server slot that answered, or -1. */
  completed(connection: HttpConnection, request: PendingRequest, status: number, worker: number): void;
  failed(connection: HttpConnection, request: PendingRequest, kind: FailureKind): void;
  received(bytes: number): void;
}

function failureKind(error: NodeJS.ErrnoException | undefined): FailureKind {
  switch (error?.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case undefined:
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time. Its
 * socket is opened lazily on the first send and again after the server
 * closes it. A request whose connection closes before its answer is complete
 * is a failure (a reset): it is never resent, since the server may have
 * acted on it and the load it measures is the load that was sent. An idle
 * socket the server closed is dropped as soon as its FIN arrives, so the
 * next request goes out on a fresh one instead of into a dead socket.
 */
export class HttpConnection {
  private socket: net.Socket | undefined;
  private readonly parser = new ResponseParser();
  private request: PendingRequest | undefined;
  private closed = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly owner: ConnectionOwner,
  ) {}

  get busy(): boolean {
    return this.request !== undefined;
  }

  /** When the request in flight was sent, or undefined. */
  get sentAt(): number | undefined {
    return this.request?.sentAt;
  }

  send(request: PendingRequest): void {
    if (this.closed) return; // the generator stops sending before it closes its connections
    this.request = request;
    this.parser.reset(request.head);
    const socket = this.socket ?? this.open();
    request.sentAt = performance.now();
    socket.write(request.bytes);
  }

  /** Abandons the request in flight as timed out and drops the socket. */
  timeOut(): void {
    const request = this.request;
    if (!request) return;
    this.request = undefined;
    this.dropSocket();
    this.owner.failed(this, request, 'timeout');
  }

  /** Closes for good; returns the request still in flight, whose answer will now never come. */
  close(): PendingRequest | undefined {
    const abandoned = this.request;
    this.closed = true;
    this.request = undefined;
    this.dropSocket();
    return abandoned;
  }

  private open(): net.Socket {
    const { host, port } = this.endpoint;
    const socket = this.endpoint.tls ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    // The server's FIN: an idle socket is dropped now, before a request could be written into it.
    socket.on('end', () => this.onClose(socket, undefined));
    socket.on('error', (error: NodeJS.ErrnoException) => this.onClose(socket, error));
    socket.on('close', () => this.onClose(socket, undefined));
    this.socket = socket;
    return socket;
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    this.owner.received(chunk.length);
    const request = this.request;
    if (!request) return; // bytes nobody asked for; the parser would be confused by them
    let end: number;
    try {
      end = this.parser.feed(chunk);
    } catch {
      // Not HTTP we can read (ResponseParseError): count it, start over on a fresh socket.
      this.request = undefined;
      this.dropSocket();
      this.owner.failed(this, request, 'other');
      return;
    }
    if (end < 0) return;
    this.finish(request, this.parser.keepAlive);
  }

  private finish(request: PendingRequest, keepAlive: boolean): void {
    this.request = undefined;
    if (!keepAlive) this.dropSocket();
    this.owner.completed(this, request, this.parser.status, this.parser.worker);
  }

  private onClose(socket: net.Socket, error: NodeJS.ErrnoException | undefined): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    socket.destroy();
    const request = this.request;
    if (!request || this.closed) return;
    if (this.parser.readsUntilClose && !error) {
      this.finish(request, false);
      return;
    }
    // The server went away (closed, crashed, was killed) with this request unanswered.
    this.request = undefined;
    this.owner.failed(this, request, failureKind(error));
  }
}
