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
  idempotent: boolean;
  intendedAt: number;
  sentAt: number;
  retried: boolean;
}

export type FailureKind = 'timeout' | 'reset' | 'refused' | 'other';

export interface ConnectionOwner {
  completed(connection: HttpConnection, request: PendingRequest, status: number): void;
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
 * closes it; a GET whose reused connection closed before any byte of the
 * answer is retried once on a fresh one, as browsers do.
 */
export class HttpConnection {
  private socket: net.Socket | undefined;
  private readonly parser = new ResponseParser();
  private request: PendingRequest | undefined;
  private bytesOfResponse = 0;
  private answeredOnSocket = 0;
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
    if (this.closed) return;
    this.request = request;
    this.bytesOfResponse = 0;
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

  close(): void {
    this.closed = true;
    this.request = undefined;
    this.dropSocket();
  }

  private open(): net.Socket {
    const { host, port } = this.endpoint;
    const socket = this.endpoint.tls ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    socket.setNoDelay(true);
    this.answeredOnSocket = 0;
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
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
    this.bytesOfResponse += chunk.length;
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
    this.answeredOnSocket++;
    if (!keepAlive) this.dropSocket();
    this.owner.completed(this, request, this.parser.status);
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
    this.request = undefined;
    // A keep-alive socket the server closed just as we reused it: nothing was processed, so try once more.
    if (this.bytesOfResponse === 0 && this.answeredOnSocket > 0 && request.idempotent && !request.retried) {
      request.retried = true;
      this.send({ ...request, intendedAt: request.intendedAt });
      return;
    }
    this.owner.failed(this, request, failureKind(error));
  }
}
