import type { IncomingMessage } from 'node:http';

/** An error an endpoint answers with instead of crashing: its status and a message naming the problem. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface IntRange {
  min: number;
  max: number;
  default?: number;
}

export function parseIntParam(raw: string | null | undefined, name: string, range: IntRange): number {
  if (raw === null || raw === undefined || raw === '') {
    if (range.default !== undefined) return range.default;
    throw new HttpError(400, `missing parameter "${name}" (an integer from ${range.min} to ${range.max})`);
  }
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new HttpError(400, `parameter "${name}" must be an integer from ${range.min} to ${range.max}, got "${raw.slice(0, 40)}"`);
  }
  return value;
}

export function parseBoolParam(raw: string | null, name: string, fallback: boolean): boolean {
  if (raw === null || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new HttpError(400, `parameter "${name}" must be true, false, 1 or 0, got "${raw.slice(0, 40)}"`);
}

/** Reads a request body up to a cap; a larger body is refused before it is buffered. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError(413, `request body is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `request body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const body = await readBody(request, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'request body must be JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
