import type { IncomingMessage } from 'node:http';
import { HttpError, parseBoolParam, parseIntParam, readJsonBody } from './http-params.js';
import type { TaskBackend } from './task-backend.js';

const MB = 1024 * 1024;
/** Caps keep any one request bounded: nothing a client sends can exhaust a server. */
export const LIMITS = {
  cpuIterations: 200_000_000,
  memoryMbPerRequest: 256,
  retainedMbTotal: 1_024,
  ioMs: 60_000,
  fibonacciN: 40,
  primesLimit: 10_000_000,
  matrixSize: 300,
  bodyBytes: 64 * 1024,
} as const;

export interface EndpointResult {
  status: number;
  body: unknown;
}

export interface EndpointContext {
  slot: number;
  tasks: TaskBackend;
  /** Blocks kept alive on the V8 heap by /memory?retain=true. */
  retained: HeapBlock[];
}

export type HeapBlock = number[];
const DOUBLE_BYTES = 8;

/**
 * Allocates mb megabytes on the V8 heap itself (a packed array of doubles;
 * Buffers and large strings would live outside it, where heapUsed and the
 * heap-limit policy do not look), touching every page.
 */
export function allocateOnHeap(mb: number): HeapBlock {
  return new Array<number>((mb * MB) / DOUBLE_BYTES).fill(0.5);
}

function retainedMb(retained: HeapBlock[]): number {
  return retained.reduce((sum, block) => sum + block.length * DOUBLE_BYTES, 0) / MB;
}

type Handler = (request: IncomingMessage, url: URL, match: RegExpExecArray, context: EndpointContext) => Promise<EndpointResult> | EndpointResult;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const ok = (body: unknown): EndpointResult => ({ status: 200, body });

const routes: Route[] = [
  { method: 'GET', pattern: /^\/health$/, handler: (_r, _u, _m, ctx) => ok({ ok: true, pid: process.pid, slot: ctx.slot }) },
  {
    method: 'GET',
    pattern: /^\/cpu$/,
    handler: (_r, url) => {
      const iterations = parseIntParam(url.searchParams.get('iterations'), 'iterations', {
        min: 1,
        max: LIMITS.cpuIterations,
        default: 1_000_000,
      });
      return ok({ iterations, result: busyLoop(iterations) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/memory$/,
    handler: (_r, url, _m, ctx) => {
      const mb = parseIntParam(url.searchParams.get('mb'), 'mb', { min: 1, max: LIMITS.memoryMbPerRequest, default: 1 });
      const retain = parseBoolParam(url.searchParams.get('retain'), 'retain', false);
      const alreadyRetained = retainedMb(ctx.retained);
      if (retain && alreadyRetained + mb > LIMITS.retainedMbTotal) {
        throw new HttpError(400, `retaining ${mb} MB more would pass the cap of ${LIMITS.retainedMbTotal} MB; DELETE /memory releases it`);
      }
      const block = allocateOnHeap(mb);
      if (retain) ctx.retained.push(block);
      return ok({ allocatedMb: mb, retainedMb: alreadyRetained + (retain ? mb : 0) });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/memory$/,
    handler: (_r, _u, _m, ctx) => {
      const released = retainedMb(ctx.retained);
      ctx.retained.length = 0;
      return ok({ releasedMb: released });
    },
  },
  {
    method: 'GET',
    pattern: /^\/io$/,
    handler: async (_r, url) => {
      const ms = parseIntParam(url.searchParams.get('ms'), 'ms', { min: 0, max: LIMITS.ioMs, default: 50 });
      // ±10 % jitter, like a real query's spread.
      const waited = Math.max(0, Math.round(ms * (0.9 + Math.random() * 0.2)));
      await new Promise((resolve) => setTimeout(resolve, waited));
      return ok({ requestedMs: ms, waitedMs: waited });
    },
  },
  {
    method: 'GET',
    pattern: /^\/fibonacci\/([^/]+)$/,
    handler: async (_r, _u, match, ctx) => {
      const n = parseIntParam(match[1], 'n', { min: 0, max: LIMITS.fibonacciN });
      return ok(await ctx.tasks.run('fibonacci', { n }));
    },
  },
  {
    method: 'GET',
    pattern: /^\/primes\/([^/]+)$/,
    handler: async (_r, _u, match, ctx) => {
      const limit = parseIntParam(match[1], 'limit', { min: 2, max: LIMITS.primesLimit });
      return ok(await ctx.tasks.run('primes', { limit }));
    },
  },
  {
    method: 'POST',
    pattern: /^\/matrix-multiply$/,
    handler: async (request, _u, _m, ctx) => {
      const body = await readJsonBody(request, LIMITS.bodyBytes);
      const size = parseIntParam(numberText(body.size), 'size', { min: 1, max: LIMITS.matrixSize, default: 50 });
      const seed = parseIntParam(numberText(body.seed), 'seed', { min: 0, max: 2 ** 31 - 1, default: 1 });
      return ok(await ctx.tasks.run('matrixMultiply', { size, seed }));
    },
  },
  {
    method: 'GET',
    pattern: /^\/error$/,
    // Failing requests on demand (on one worker, with slot=) exercise the error-rate health policy and error charts.
    handler: (_r, url, _m, ctx) => {
      const status = parseIntParam(url.searchParams.get('status'), 'status', { min: 400, max: 599, default: 500 });
      const onlySlot = url.searchParams.get('slot');
      const slot = onlySlot === null ? undefined : parseIntParam(onlySlot, 'slot', { min: 0, max: 63 });
      if (slot !== undefined && slot !== ctx.slot) return ok({ ok: true, slot: ctx.slot });
      return { status, body: { error: `failed on request (status ${status})`, slot: ctx.slot } };
    },
  },
  { method: 'GET', pattern: /^\/pool-status$/, handler: (_r, _u, _m, ctx) => ok(ctx.tasks.status()) },
];

function numberText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? String(value) : `not a number: ${JSON.stringify(value).slice(0, 30)}`;
}

function busyLoop(iterations: number): number {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (x + i * i) % 1_000_003;
  return x;
}

/** Finds and runs the endpoint; every failure becomes a JSON error response, never a crash. */
export async function handleRequest(request: IncomingMessage, context: EndpointContext): Promise<EndpointResult> {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://127.0.0.1');
  } catch {
    return { status: 400, body: { error: 'malformed request URL' } };
  }
  const samePath = routes.filter((route) => route.pattern.test(url.pathname));
  if (!samePath.length) return { status: 404, body: { error: `no endpoint ${url.pathname.slice(0, 200)}` } };
  const route = samePath.find((candidate) => candidate.method === request.method);
  if (!route) {
    return { status: 405, body: { error: `${request.method} not allowed on ${url.pathname}; use ${samePath.map((r) => r.method).join(', ')}` } };
  }
  try {
    return await route.handler(request, url, route.pattern.exec(url.pathname)!, context);
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
    if (error instanceof RangeError && /allocat|memory/i.test(error.message)) {
      return { status: 503, body: { error: `out of memory: ${error.message}` } };
    }
    return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}
