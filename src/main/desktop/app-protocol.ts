/**
 * The renderer is served through a privileged custom scheme,
 * `tunebench://app/index.html`, instead of file://: the page gets an origin of
 * its own (so 'self' in its Content-Security-Policy means our files and
 * nothing else on disk), the handler serves only files inside the built
 * renderer folder, every response carries the policy as a header, and the
 * IPC sender check has one exact address to compare with.
 */
import { readFile, realpath, stat } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const APP_SCHEME = 'tunebench';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before the app is ready (protocol.registerSchemesAsPrivileged):
 * standard (an origin, relative URLs), secure (a secure context, like
 * https), fetch for the page's own modules, V8's code cache. No CSP bypass,
 * no service workers.
 */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

// The callback forms: Electron patches them to read inside app.asar.
const readFileAsync = promisify(readFile);
const realpathAsync = promisify(realpath);
const statAsync = promisify(stat);

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function refuse(status: number, policy: string): Response {
  return new Response(null, { status, headers: { 'content-security-policy': policy } });
}

/**
 * The handler for protocol.handle(APP_SCHEME): GET and HEAD of files inside
 * `rendererDir` (symbolic links are followed only if they stay inside it);
 * anything else is 404 (or 400/405), never a file outside.
 */
export function rendererFileHandler(rendererDir: string, policy: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  let realRoot: Promise<string> | undefined;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, policy);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, policy);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, policy);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, policy);
    }
    if (pathname.includes('\0')) return refuse(400, policy);
    const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!isInside(root, file)) return refuse(404, policy);
    try {
      realRoot ??= realpathAsync(root);
      const real = await realpathAsync(file);
      if (!isInside(await realRoot, real) || !(await statAsync(real)).isFile()) return refuse(404, policy);
      const body = request.method === 'HEAD' ? null : await readFileAsync(real);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': contentTypes[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
          'content-security-policy': policy,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      realRoot = undefined;
      return refuse(404, policy);
    }
  };
}

/** Where the desktop window's renderer comes from: the app scheme, or Vite's server under `npm run dev`. */
export type RendererOrigin = { app: true } | { devServerUrl: string };

/**
 * Whether a frame's address is our own renderer page, so the desktop shell
 * can refuse engine calls from anything else its window might show.
 */
export function isRendererAddress(address: string, origin: RendererOrigin): boolean {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return false;
  }
  if ('devServerUrl' in origin) return url.origin === new URL(origin.devServerUrl).origin;
  // The hash is the renderer's own routing (#/pool); scheme, host and page must match exactly.
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.pathname === '/index.html' && !url.username && !url.password && !url.port;
}
