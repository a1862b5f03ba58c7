/**
 * The contract's bridge over the web host's WebSocket (framing in
 * src/shared/wire.ts). It reconnects with backoff; a call in flight when the
 * socket drops fails with a clear error rather than hanging, because the
 * host may or may not have run it.
 */
import type { Disposer, Envelope, TunebenchBridge } from '../../shared/contract.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { WireClientMessage, WireServerMessage } from '../../shared/wire.js';
import type { ConnectionStatus, HostConnection } from './connection.js';

export interface WebSocketBridgeOptions {
  url: string;
  /** First reconnect delay; doubles per failed attempt up to maxRetryDelayMs. */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Said when the socket fails without a reason of its own (a browser never sees why an upgrade was refused). */
  unexplainedCloseReason?: string;
}

interface PendingCall {
  name: string;
  message: string;
  sent: boolean;
  resolve: (envelope: Envelope) => void;
}

function failure(code: ErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } };
}

class WebSocketBridgeCore {
  private socket: WebSocket | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failedAttempts = 0;
  private nextId = 1;
  private disposed = false;
  private readonly pending = new Map<number, PendingCall>();
  private readonly streamListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  status: ConnectionStatus = { state: 'connecting' };

  constructor(
    private readonly url: string,
    private readonly initialRetryDelayMs: number,
    private readonly maxRetryDelayMs: number,
    private readonly unexplainedCloseReason: string | undefined,
  ) {
    this.connect();
  }

  call(name: string, payload: unknown): Promise<Envelope> {
    if (this.disposed) return Promise.resolve(failure('TB_HOST_DISCONNECTED', `Not connected to the Tunebench host (the connection was closed); "${name}" was not sent`));
    if (this.status.state === 'disconnected') {
      return Promise.resolve(
        failure('TB_HOST_DISCONNECTED', `Not connected to the Tunebench host (reconnecting); "${name}" was not sent`),
      );
    }
    const id = this.nextId++;
    let message: string;
    try {
      message = JSON.stringify({ type: 'call', id, name, payload } satisfies WireClientMessage);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return Promise.resolve(failure('TB_INVALID_PAYLOAD', `Invalid payload for "${name}": ${detail}`));
    }
    return new Promise((resolve) => {
      const call: PendingCall = { name, message, sent: false, resolve };
      this.pending.set(id, call);
      // While the socket is still opening, the call waits and goes out on open.
      if (this.status.state === 'open') this.send(call);
    });
  }

  subscribe(stream: string, listener: (payload: unknown) => void): Disposer {
    let listeners = this.streamListeners.get(stream);
    if (!listeners) {
      listeners = new Set();
      this.streamListeners.set(stream, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  onStatus(listener: (status: ConnectionStatus) => void): Disposer {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.failPending('The connection to the Tunebench host was closed');
    this.socket?.close();
    this.socket = undefined;
    this.streamListeners.clear();
    this.statusListeners.clear();
  }

  private connect(): void {
    this.setStatus({ state: 'connecting' });
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      this.handleClose(error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.failedAttempts = 0;
      this.setStatus({ state: 'open' });
      for (const call of this.pending.values()) if (!call.sent) this.send(call);
    });
    socket.addEventListener('message', (event) => {
      if (socket === this.socket) this.receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      this.handleClose(describeClose(event, this.unexplainedCloseReason));
    });
    // 'error' is always followed by 'close', which does the work.
  }

  private send(call: PendingCall): void {
    call.sent = true;
    this.socket?.send(call.message);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WireServerMessage;
    try {
      message = JSON.parse(data) as WireServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      call.resolve(message.envelope);
    } else if (message.type === 'stream') {
      const listeners = this.streamListeners.get(message.stream);
      if (!listeners) return;
      for (const listener of [...listeners]) {
        try {
          listener(message.payload);
        } catch (error) {
          // One faulty listener must not starve the others of the stream.
          console.error(`Listener of "${message.stream}" failed`, error);
        }
      }
    } else if (message.type === 'error') {
      console.warn(`The Tunebench host could not read a message: ${message.error.message}`);
    }
  }

  private handleClose(reason: string): void {
    if (this.disposed) return;
    this.failPending(`Lost the connection to the Tunebench host; the call may or may not have run (${reason})`);
    const delay = Math.min(this.maxRetryDelayMs, this.initialRetryDelayMs * 2 ** this.failedAttempts);
    this.failedAttempts += 1;
    this.setStatus({ state: 'disconnected', retryAt: Date.now() + delay, reason });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private failPending(reason: string): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.resolve(failure('TB_CONNECTION_LOST', `"${call.name}" failed: ${reason}`));
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

function describeClose(event: CloseEvent, unexplained: string | undefined): string {
  if (event.reason) return event.reason;
  if (event.code === 1006) return unexplained ?? 'the host closed or could not be reached';
  return `socket closed with code ${event.code}`;
}

export class WebSocketBridge implements TunebenchBridge, HostConnection {
  readonly #core: WebSocketBridgeCore;

  constructor(options: WebSocketBridgeOptions) {
    if (!/^wss?:\/\//.test(options.url)) throw new TypeError(`WebSocketBridge url must start with ws:// or wss:// (got "${options.url}")`);
    const initial = options.initialRetryDelayMs ?? 500;
    const max = options.maxRetryDelayMs ?? 10_000;
    if (!(initial > 0) || !(max >= initial)) {
      throw new RangeError(`WebSocketBridge retry delays must satisfy 0 < initial <= max (got ${initial} and ${max})`);
    }
    this.#core = new WebSocketBridgeCore(options.url, initial, max, options.unexplainedCloseReason);
  }

  get status(): ConnectionStatus {
    return this.#core.status;
  }

  call(name: string, payload: unknown): Promise<Envelope> {
    return this.#core.call(name, payload);
  }

  subscribe(stream: string, listener: (payload: unknown) => void): Disposer {
    return this.#core.subscribe(stream, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): Disposer {
    return this.#core.onStatus(listener);
  }

  dispose(): void {
    this.#core.dispose();
  }
}

/** Where the page keeps its session token: sessionStorage belongs to this origin (port included) and this tab only. */
export const SESSION_TOKEN_KEY = 'tunebench.sessionToken';

interface PageWindow {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The token the page was opened with. It is moved from the address into the
 * tab's sessionStorage and taken out of the address bar and history at once,
 * so it is neither shown, bookmarked nor shared; a reload finds it in the
 * tab. Nothing another server on 127.0.0.1 can read (cookies ignore ports)
 * carries it.
 */
export function takeSessionToken(page: PageWindow, tokenParam: string): string | null {
  const url = new URL(page.location.href);
  const fromAddress = url.searchParams.get(tokenParam);
  if (fromAddress) {
    try {
      page.sessionStorage.setItem(SESSION_TOKEN_KEY, fromAddress);
    } catch {
      // Storage can be off (private modes); this page load still has the token.
    }
    url.searchParams.delete(tokenParam);
    page.history.replaceState(page.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromAddress;
  }
  try {
    return page.sessionStorage.getItem(SESSION_TOKEN_KEY);
  } catch {
    return null;
  }
}

/** The socket URL of the page's own host, with the session token: the host opens a socket for nothing less. */
export function hostSocketUrl(location: Pick<Location, 'protocol' | 'host'>, path: string, tokenParam: string, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?${tokenParam}=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}${path}${query}`;
}
