/**
 * A minimal incremental HTTP/1.1 response parser for the load generator:
 * status code, Content-Length, chunked, or read-until-close bodies. It only
 * finds where each response ends; bodies are counted, never kept.
 */
import { MAX_WORKER_SLOT, WORKER_SLOT_HEADER } from '../../shared/cluster-protocol.js';

const CR = 13;
const LF = 10;
const HEADER_END = Buffer.from('\r\n\r\n');
/** A header block larger than this is not an HTTP server we can measure. */
const MAX_HEADER_BYTES = 64 * 1024;

const enum State {
  Headers,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
}

export class ResponseParseError extends Error {}

export class ResponseParser {
  status = 0;
  /** Whether the connection may carry another request after this response. */
  keepAlive = true;
  /** The test-server worker slot that answered (WORKER_SLOT_HEADER), or -1. */
  worker = -1;
  private state = State.Headers;
  private pending: Buffer | undefined;
  private remaining = 0;
  private line = '';
  private headRequest = false;

  /** Starts a new response; HEAD responses have no body whatever their headers say. */
  reset(headRequest: boolean): void {
    this.status = 0;
    this.keepAlive = true;
    this.worker = -1;
    this.state = State.Headers;
    this.pending = undefined;
    this.remaining = 0;
    this.line = '';
    this.headRequest = headRequest;
  }

  /** Whether the body runs until the server closes the connection. */
  get readsUntilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /**
   * Feeds received bytes; returns the offset just past the end of the
   * response once it is complete, or -1 when more bytes are needed.
   */
  feed(chunk: Buffer, start = 0): number {
    let offset = start;
    while (offset <= chunk.length) {
      switch (this.state) {
        case State.Headers: {
          const end = this.findHeaderEnd(chunk, offset);
          if (end < 0) return -1;
          offset = end;
          if (this.state === State.Headers) continue; // an interim 1xx response: headers again
          if (this.isComplete()) return offset;
          break;
        }
        case State.Length: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          offset += take;
          if (this.remaining === 0) return offset;
          return -1;
        }
        case State.ChunkSize: {
          const lineEnd = this.readLine(chunk, offset);
          if (lineEnd < 0) return -1;
          offset = lineEnd;
          const size = Number.parseInt(this.line.split(';')[0]!.trim(), 16);
          if (!Number.isFinite(size) || size < 0) throw new ResponseParseError(`bad chunk size "${this.line.slice(0, 20)}"`);
          this.line = '';
          if (size === 0) this.state = State.Trailers;
          else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          offset += take;
          if (this.remaining > 0) return -1;
          this.state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd: {
          const lineEnd = this.readLine(chunk, offset);
          if (lineEnd < 0) return -1;
          offset = lineEnd;
          this.line = '';
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const lineEnd = this.readLine(chunk, offset);
          if (lineEnd < 0) return -1;
          offset = lineEnd;
          const empty = this.line === '';
          this.line = '';
          if (empty) return offset;
          break;
        }
        case State.UntilClose:
          return -1;
      }
      if (offset === chunk.length && this.state !== State.Trailers && this.state !== State.ChunkDataEnd) return -1;
    }
    return -1;
  }

  private isComplete(): boolean {
    return this.state === State.Length && this.remaining === 0;
  }

  /** Reads a CRLF-terminated line into this.line (across chunks); returns the offset after it or -1. */
  private readLine(chunk: Buffer, offset: number): number {
    const lf = chunk.indexOf(LF, offset);
    if (lf < 0) {
      this.line += chunk.toString('latin1', offset);
      if (this.line.length > 1024) throw new ResponseParseError('line too long in chunked body');
      return -1;
    }
    this.line += chunk.toString('latin1', offset, lf > offset && chunk[lf - 1] === CR ? lf - 1 : lf);
    if (this.line.endsWith('\r')) this.line = this.line.slice(0, -1);
    return lf + 1;
  }

  /** Finds the end of the header block, parses what the body framing needs; returns the offset after it or -1. */
  private findHeaderEnd(chunk: Buffer, offset: number): number {
    let block: Buffer;
    let bodyStart: number;
    if (this.pending) {
      const joined = Buffer.concat([this.pending, chunk.subarray(offset)]);
      const end = joined.indexOf(HEADER_END);
      if (end < 0) {
        if (joined.length > MAX_HEADER_BYTES) throw new ResponseParseError('response headers too large');
        this.pending = joined;
        return -1;
      }
      block = joined.subarray(0, end);
      // Bytes of this chunk consumed = header bytes still missing from pending + the terminator.
      bodyStart = offset + (end + HEADER_END.length - this.pending.length);
      this.pending = undefined;
    } else {
      const end = chunk.indexOf(HEADER_END, offset);
      if (end < 0) {
        this.pending = Buffer.from(chunk.subarray(offset));
        return -1;
      }
      block = chunk.subarray(offset, end);
      bodyStart = end + HEADER_END.length;
    }
    this.parseHead(block);
    return bodyStart;
  }

  private parseHead(block: Buffer): void {
    // "HTTP/1.1 200 OK": the three digits at 9..11.
    if (block.length < 12 || block[0] !== 0x48) throw new ResponseParseError('not an HTTP response');
    const status = (block[9]! - 48) * 100 + (block[10]! - 48) * 10 + (block[11]! - 48);
    if (!(status >= 100 && status <= 999)) throw new ResponseParseError('bad status line');
    const http10 = block[7] === 0x30;
    if (status >= 100 && status < 200 && status !== 101) {
      this.state = State.Headers; // interim response; the real one follows
      return;
    }
    this.status = status;
    const headers = block.toString('latin1').toLowerCase();
    let contentLength = -1;
    let chunked = false;
    let connectionClose = http10;
    let cursor = headers.indexOf('\r\n');
    while (cursor >= 0) {
      const next = headers.indexOf('\r\n', cursor + 2);
      const line = headers.slice(cursor + 2, next < 0 ? undefined : next);
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name === 'content-length') contentLength = Number(value);
        else if (name === 'transfer-encoding') chunked = value.includes('chunked');
        else if (name === 'connection') connectionClose = value.includes('close') ? true : value.includes('keep-alive') ? false : connectionClose;
        else if (name === WORKER_SLOT_HEADER) this.worker = slotOf(value);
      }
      cursor = next;
    }
    this.keepAlive = !connectionClose;
    if (this.headRequest || status === 204 || status === 304) {
      this.state = State.Length;
      this.remaining = 0;
    } else if (chunked) {
      this.state = State.ChunkSize;
    } else if (contentLength >= 0 && Number.isFinite(contentLength)) {
      this.state = State.Length;
      this.remaining = contentLength;
    } else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
  }
}

function slotOf(value: string): number {
  if (!/^\d{1,2}$/.test(value)) return -1;
  const slot = Number(value);
  return slot <= MAX_WORKER_SLOT ? slot : -1;
}
