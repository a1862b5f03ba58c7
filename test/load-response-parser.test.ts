import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../src/workers/load/response-parser.js';

/** Feeds a response split at every given offset; returns where the parser said it ended (offset in the whole). */
function parse(text: string, splits: number[] = [], head = false): { end: number; parser: ResponseParser } {
  const whole = Buffer.from(text, 'latin1');
  const parser = new ResponseParser();
  parser.reset(head);
  const cuts = [0, ...splits, whole.length];
  for (let i = 0; i < cuts.length - 1; i++) {
    const chunk = whole.subarray(cuts[i], cuts[i + 1]);
    const end = parser.feed(chunk);
    if (end >= 0) return { end: cuts[i]! + end, parser };
  }
  return { end: -1, parser };
}

describe('load generator response parser', () => {
  it('finds the end of a Content-Length response, whole or split anywhere', () => {
    const text = 'HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX: y\r\n\r\nhello';
    expect(parse(text)).toMatchObject({ end: text.length, parser: { status: 201, keepAlive: true } });
    for (let cut = 1; cut < text.length; cut++) expect(parse(text, [cut]).end, `cut at ${cut}`).toBe(text.length);
    expect(parse(text, [3, 20, 40]).end).toBe(text.length);
  });

  it('reads chunked bodies with extensions and trailers', () => {
    const text = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nTrailer: t\r\n\r\n';
    expect(parse(text).end).toBe(text.length);
    for (let cut = 1; cut < text.length; cut++) expect(parse(text, [cut]).end, `cut at ${cut}`).toBe(text.length);
  });

  it('knows bodiless answers: HEAD, 204, 304, and skips interim 1xx', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n';
    expect(parse(head, [], true).end).toBe(head.length);
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n').parser.status).toBe(204);
    const interim = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    expect(parse(interim)).toMatchObject({ end: interim.length, parser: { status: 200 } });
  });

  it('honours Connection: close and bodies that run until close', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    const untilClose = parse('HTTP/1.0 200 OK\r\n\r\nsome body');
    expect(untilClose.end).toBe(-1);
    expect(untilClose.parser.readsUntilClose).toBe(true);
  });

  it('reads which test-server worker answered, ignoring slots no cluster has', () => {
    expect(parse('HTTP/1.1 200 OK\r\nX-Tunebench-Worker: 3\r\nContent-Length: 0\r\n\r\n').parser.worker).toBe(3);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').parser.worker).toBe(-1);
    for (const value of ['64', '-1', '1.5', 'zero', '']) {
      expect(parse(`HTTP/1.1 200 OK\r\nx-tunebench-worker: ${value}\r\nContent-Length: 0\r\n\r\n`).parser.worker, value).toBe(-1);
    }
  });

  it('rejects what is not HTTP', () => {
    expect(() => parse('SSH-2.0-OpenSSH\r\n\r\n')).toThrow('not an HTTP response');
    expect(() => parse('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')).toThrow(/bad chunk size/);
  });
});
