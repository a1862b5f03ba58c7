import type { RequestMixEntry } from '../../shared/specs/load.js';
import { xorshift32 } from '../../shared/random.js';

export interface RequestTemplate {
  /** The whole request, serialised once. */
  bytes: Buffer;
  head: boolean;
  /** Its entry's index in the mix. */
  index: number;
}

function serialise(entry: RequestMixEntry, path: string, host: string): Buffer {
  const body = entry.body === undefined ? undefined : Buffer.from(entry.body, 'utf8');
  const headers: Record<string, string> = { ...entry.headers };
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (body && !has('content-type')) headers['content-type'] = 'application/json';
  let head = `${entry.method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value.replace(/[\r\n]/g, ' ')}\r\n`;
  if (body || entry.method === 'POST' || entry.method === 'PUT' || entry.method === 'PATCH') {
    head += `content-length: ${body?.length ?? 0}\r\n`;
  }
  const headBytes = Buffer.from(`${head}\r\n`, 'latin1');
  return body ? Buffer.concat([headBytes, body]) : headBytes;
}

/** Picks requests by weight; each request is serialised once, so a pick costs one random number and a short scan. */
export class RequestMix {
  private readonly templates: RequestTemplate[];
  private readonly cumulative: number[];
  private readonly total: number;
  private readonly random = xorshift32(0x9e3779b9);

  constructor(entries: RequestMixEntry[], basePath: string, host: string) {
    const prefix = basePath.replace(/\/$/, '');
    this.templates = entries.map((entry, index) => ({
      bytes: serialise(entry, prefix + entry.path, host),
      head: entry.method === 'HEAD',
      index,
    }));
    let sum = 0;
    this.cumulative = entries.map((entry) => (sum += entry.weight));
    this.total = sum;
  }

  next(): RequestTemplate {
    if (this.templates.length === 1) return this.templates[0]!;
    const target = this.random() * this.total;
    for (let i = 0; i < this.cumulative.length; i++) if (target < this.cumulative[i]!) return this.templates[i]!;
    return this.templates[this.templates.length - 1]!;
  }
}
