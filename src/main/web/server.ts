/**
 * The web host: the built renderer and the contract over a WebSocket, on
 * 127.0.0.1 only, behind a per-process session token. A browser tab is a
 * weaker sandbox than our Electron window, so every request names our Host
 * (DNS rebinding) and proves it was let in: the page by the token in its
 * first URL, its static files by a cookie set then. The cookie is a key of its
 * own, not the token, because cookies ignore ports and any other server on
 * 127.0.0.1 the browser visits receives it; it opens no session. Sockets, the
 * only way to the engine, need the token itself (which the page keeps in its
 * tab's sessionStorage) and our own Origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { errorEntry, toErrorPayload, TunebenchError, type ErrorPayload } from '../../shared/errors.js';
import { MAX_IMPORT_BYTES } from '../../shared/studies.js';
import {
  TOKEN_PARAM,
  WEB_SOCKET_PATH,
  WireClientMessageSchema,
  type WireClientMessage,
  type WireServerMessage,
} from '../../shared/wire.js';
import { describeZodError } from '../../shared/validation.js';
import type { Engine } from '../engine/engine.js';
import { contentSecurityPolicy, forwardStreams } from '../host-binding.js';

/**
 * Largest WebSocket message accepted; a bigger one closes that socket (1009),
 * nothing else. Room for the largest import (its JSON escaped inside a call)
 * and nothing much beyond: only a token holder can send at all.
 */
export const MAX_MESSAGE_BYTES = 2 * MAX_IMPORT_BYTES;
/**
 * A socket that falls this far behind stops getting run frames (statuses and
 * logs still go): one stalled tab must not grow the engine's memory without
 * bound. The renderer re-reads the saved record when the run ends.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** How long closing sockets get to finish their close handshake before they are cut. */
const SOCKET_CLOSE_GRACE_MS = 500;
const LOOPBACK = '127.0.0.1';

export interface WebHostOptions {
  engine: Engine;
  /** The built renderer (out/renderer) with its index.html. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Largest WebSocket message; default MAX_MESSAGE_BYTES. */
  maxMessageBytes?: number;
}

export interface WebHostAddress {
  port: number;
  token: string;
  /** The URL a user opens: it carries the token once; the page then takes it out of the address bar. */
  url: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Parses a port given on the command line or in the environment; `source` names where it came from. */
export function parsePort(text: string, source: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65_535) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
      option: source,
      rule: `a port number from 0 to 65535 (0 picks a free port); got "${text}"`,
    });
  }
  return Number(text);
}

/**
 * Public face of the web host: validates its options, starts once, disposes
 * once. The listening machinery lives in WebHostCore.
 */
export class WebHost {
  readonly #options: Required<WebHostOptions>;
  #core: WebHostCore | undefined;
  #state: 'new' | 'starting' | 'listening' | 'disposed' = 'new';

  constructor(options: WebHostOptions) {
    if (!options || typeof options !== 'object') {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'WebHost options', rule: 'an object { engine, rendererDir, port? }' });
    }
    if (!options.engine || typeof options.engine.dispatch !== 'function') {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'WebHost option engine', rule: 'an Engine' });
    }
    if (typeof options.rendererDir !== 'string' || !options.rendererDir) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
        option: 'WebHost option rendererDir',
        rule: 'the folder of the built renderer',
      });
    }
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
        option: 'WebHost option port',
        rule: `an integer from 0 to 65535; got ${String(options.port)}`,
      });
    }
    const maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1024 || maxMessageBytes > MAX_MESSAGE_BYTES) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
        option: 'WebHost option maxMessageBytes',
        rule: `an integer from 1024 to ${MAX_MESSAGE_BYTES}; got ${String(options.maxMessageBytes)}`,
      });
    }
    this.#options = { engine: options.engine, rendererDir: path.resolve(options.rendererDir), port, maxMessageBytes };
  }

  /** Listens on 127.0.0.1; resolves with the port and the URL to open. Prints nothing. */
  async start(): Promise<WebHostAddress> {
    if (this.#state !== 'new') {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'WebHost.start()', rule: `called once, on a new host; this one is ${this.#state}` });
    }
    this.#state = 'starting';
    const core = new WebHostCore(
      this.#options.engine,
      this.#options.rendererDir,
      randomBytes(32).toString('base64url'),
      randomBytes(32).toString('base64url'),
      this.#options.maxMessageBytes,
    );
    this.#core = core;
    try {
      await core.listen(this.#options.port);
    } catch (error) {
      this.#state = 'disposed';
      this.#core = undefined;
      await core.close();
      throw error;
    }
    if (this.#core !== core) {
      // dispose() ran while we were starting, before the server was listening.
      await core.close();
      throw new TunebenchError('TB_SHUTTING_DOWN', { what: 'web host (disposed while starting)' });
    }
    this.#state = 'listening';
    return core.address();
  }

  /** The address once listening; undefined before start() and after dispose(). */
  get address(): WebHostAddress | undefined {
    return this.#state === 'listening' ? this.#core?.address() : undefined;
  }

  /** Closes every socket and the server; the engine is the caller's to dispose. */
  async dispose(): Promise<void> {
    if (this.#state === 'disposed') return;
    this.#state = 'disposed';
    const core = this.#core;
    this.#core = undefined;
    await core?.close();
  }
}

class WebHostCore {
  private readonly server: http.Server;
  private readonly sockets: WebSocketServer;
  private port = 0;
  private rendererRoot: string | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly rendererDir: string,
    private readonly token: string,
    /** The static-files cookie's value: not the token, and no way to the engine. */
    private readonly assetKey: string,
    maxMessageBytes: number,
  ) {
    this.server = http.createServer((request, response) => {
      this.handleRequest(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          this.sendError(response, toErrorPayload(error));
        } else {
          response.destroy();
        }
      });
    });
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
    this.server.on('upgrade', (request, socket, head) => this.handleUpgrade(request, socket, head));
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new TunebenchError('TB_PORT_IN_USE', { port, host: LOOPBACK }, { cause: error })
            : error,
        );
      };
      this.server.once('error', onError);
      // Loopback only: the workbench runs code on this machine and must never be reachable from the network.
      this.server.listen(port, LOOPBACK, () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  address(): WebHostAddress {
    return {
      port: this.port,
      token: this.token,
      url: `http://${LOOPBACK}:${this.port}/?${TOKEN_PARAM}=${this.token}`,
    };
  }

  async close(): Promise<void> {
    const clients = [...this.sockets.clients];
    await Promise.all(clients.map((socket) => closeSocket(socket)));
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private get cookieName(): string {
    // Cookies ignore ports: two hosts on 127.0.0.1 must not overwrite each other's session.
    return `tunebench_session_${this.port}`;
  }

  private async handleRequest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = requestUrl(request);
    if (!this.isOwnHost(request.headers.host)) {
      this.sendError(response, forbiddenOrigin('Host', request.headers.host ?? ''));
      return;
    }
    const queryToken = url?.searchParams.get(TOKEN_PARAM) ?? null;
    const queryTokenValid = queryToken !== null && this.isToken(queryToken);
    if (!queryTokenValid && !sameSecret(readCookie(request.headers.cookie, this.cookieName), this.assetKey)) {
      this.sendError(response, new TunebenchError('TB_UNAUTHORIZED').toPayload());
      return;
    }
    if (queryTokenValid) {
      response.setHeader('Set-Cookie', `${this.cookieName}=${this.assetKey}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      this.sendError(response, new TunebenchError('TB_METHOD_NOT_ALLOWED', { method: (request.method ?? '').slice(0, 20), allowed: 'GET or HEAD' }).toPayload());
      return;
    }
    if (!url) {
      this.sendError(response, new TunebenchError('TB_BAD_REQUEST').toPayload());
      return;
    }
    await this.serveStatic(url.pathname, request.method === 'HEAD', response);
  }

  private async serveStatic(pathname: string, headOnly: boolean, response: http.ServerResponse): Promise<void> {
    const file = await this.resolveStaticFile(pathname);
    if (!file) {
      this.sendError(response, notFound(pathname));
      return;
    }
    const stats = await fs.stat(file);
    response.writeHead(200, {
      ...this.securityHeaders(),
      'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': stats.size,
    });
    if (headOnly) {
      response.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  /** Maps a URL path to a file inside the renderer folder, or undefined; nothing outside it is ever served. */
  private async resolveStaticFile(pathname: string): Promise<string | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
    // Only '/' means the app; any other unknown path is a 404, not index.html.
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    this.rendererRoot ??= await fs.realpath(this.rendererDir).catch(() => undefined);
    if (!this.rendererRoot) return undefined;
    const candidate = path.resolve(this.rendererRoot, relative);
    if (!isInside(this.rendererRoot, candidate)) return undefined;
    // Symlinks are resolved too, so a link inside the folder cannot point out of it.
    const real = await fs.realpath(candidate).catch(() => undefined);
    if (!real || !isInside(this.rendererRoot, real)) return undefined;
    const stats = await fs.stat(real).catch(() => undefined);
    return stats?.isFile() ? real : undefined;
  }

  private handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(request);
    if (!url) {
      rejectUpgrade(socket, new TunebenchError('TB_BAD_REQUEST').toPayload());
      return;
    }
    if (url.pathname !== WEB_SOCKET_PATH) {
      rejectUpgrade(socket, notFound(url.pathname));
      return;
    }
    if (!this.isOwnHost(request.headers.host)) {
      rejectUpgrade(socket, forbiddenOrigin('Host', request.headers.host ?? ''));
      return;
    }
    // Browsers always send Origin on a WebSocket; only other local tools (tests, scripts) omit it, and they still need the token.
    const origin = request.headers.origin;
    if (origin !== undefined && !this.isOwnOrigin(origin)) {
      rejectUpgrade(socket, forbiddenOrigin('Origin', origin));
      return;
    }
    // The token itself, never the cookie: the cookie reaches every server on 127.0.0.1 the browser visits.
    const token = url.searchParams.get(TOKEN_PARAM);
    if (!this.isToken(token)) {
      rejectUpgrade(socket, new TunebenchError('TB_UNAUTHORIZED').toPayload());
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => this.attach(webSocket));
  }

  private attach(socket: WebSocket): void {
    const unsubscribe = forwardStreams(this.engine, {
      isOpen: () => socket.readyState === WebSocket.OPEN,
      deliver: (stream, payload) => {
        if (stream === 'run.frame' && socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
        send(socket, { type: 'stream', stream, payload });
      },
    });
    socket.on('close', unsubscribe);
    // An 'error' (e.g. a message over the size cap) is always followed by 'close'.
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      void this.answer(socket, data, isBinary);
    });
  }

  private async answer(socket: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const read = readClientMessage(data, isBinary);
    if (!read.ok) {
      send(
        socket,
        read.id === undefined
          ? { type: 'error', error: read.error }
          : { type: 'result', id: read.id, envelope: { ok: false, error: read.error } },
      );
      return;
    }
    const envelope = await this.engine.dispatch(read.message.name, read.message.payload);
    if (socket.readyState === WebSocket.OPEN) send(socket, { type: 'result', id: read.message.id, envelope });
  }

  private isToken(candidate: string | null | undefined): boolean {
    return sameSecret(candidate, this.token);
  }

  private isOwnHost(host: string | undefined): boolean {
    return host === `${LOOPBACK}:${this.port}` || host === `localhost:${this.port}`;
  }

  private isOwnOrigin(origin: string): boolean {
    return origin === `http://${LOOPBACK}:${this.port}` || origin === `http://localhost:${this.port}`;
  }

  private securityHeaders(): Record<string, string> {
    return {
      'Content-Security-Policy': contentSecurityPolicy([`ws://${LOOPBACK}:${this.port}`, `ws://localhost:${this.port}`]),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      // The first page carries the token in its URL; nothing here should be cached.
      'Cache-Control': 'no-store',
    };
  }

  /** Answers with the error's status from the catalogue and the error as the JSON body. */
  private sendError(response: http.ServerResponse, error: ErrorPayload): void {
    const body = JSON.stringify(error);
    response.writeHead(errorEntry(error.code).http, {
      ...this.securityHeaders(),
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(body);
  }
}

type ReadResult =
  | { ok: true; message: WireClientMessage }
  | { ok: false; id: number | undefined; error: ErrorPayload };

/** Reads one client frame; anything unreadable becomes a TB_INVALID_PAYLOAD naming what is wrong. */
function readClientMessage(data: RawData, isBinary: boolean): ReadResult {
  const fail = (detail: string, id?: number): ReadResult => ({
    ok: false,
    id,
    error: new TunebenchError('TB_INVALID_PAYLOAD', { call: 'websocket message', detail }).toPayload(),
  });
  if (isBinary) return fail('binary messages are not accepted; send JSON text');
  let json: unknown;
  try {
    json = JSON.parse(rawText(data));
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  const parsed = WireClientMessageSchema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  // With a usable id the client gets its answer on the pending call instead of a loose error.
  const id = (json as { id?: unknown } | null)?.id;
  const usableId = typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
  return fail(describeZodError(parsed.error), usableId);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function send(socket: WebSocket, message: WireServerMessage): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch (error) {
    text = JSON.stringify({ type: 'error', error: toErrorPayload(error) } satisfies WireServerMessage);
  }
  socket.send(text);
}

function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => socket.terminate(), SOCKET_CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    socket.close(1001, 'Tunebench is shutting down');
  });
}

function rejectUpgrade(socket: Duplex, error: ErrorPayload): void {
  const status = errorEntry(error.code).http;
  const body = JSON.stringify(error);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function requestUrl(request: http.IncomingMessage): URL | undefined {
  try {
    // The base only gives relative request targets a shape; the Host header is checked separately.
    return new URL(request.url ?? '/', `http://${LOOPBACK}`);
  } catch {
    return undefined;
  }
}

/** Compares secrets in constant time. */
function sameSecret(candidate: string | null | undefined, secret: string): boolean {
  if (!candidate) return false;
  const given = Buffer.from(candidate);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function forbiddenOrigin(header: 'Host' | 'Origin', value: string): ErrorPayload {
  return new TunebenchError('TB_FORBIDDEN_ORIGIN', { header, value: value.slice(0, 200) }).toPayload();
}

function notFound(pathname: string): ErrorPayload {
  return new TunebenchError('TB_NOT_FOUND', { path: pathname.slice(0, 200) }).toPayload();
}
