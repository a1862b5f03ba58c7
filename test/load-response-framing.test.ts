import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

const NO_ERRORS = { non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 };
const settings = { connections: 2, durationSec: 20, requests: 60, warmupSec: 0 };

describe('load generator reading each kind of response framing over real sockets', () => {
  const targets = httpTargets();
  const rawServers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(rawServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('counts chunked answers sent in pieces, on reused connections', async () => {
    let received = 0;
    const { url } = await targets.start((_request, response) => {
      received++;
      response.write('first piece, ');
      setImmediate(() => response.end('last piece'));
    });
    const result = await generate(url, settings);
    expect(result.errors).toEqual(NO_ERRORS);
    expect(result.requests).toBe(received);
    expect(result.bytesReceived).toBeGreaterThan(result.requests * 'first piece, last piece'.length);
  });

  it('counts Content-Length bodies that arrive split and late, and Connection: close answers', async () => {
    let received = 0;
    const { url } = await targets.start((_request, response) => {
      received++;
      response.setHeader('content-length', 6);
      if (received % 2 === 0) response.setHeader('connection', 'close');
      response.write('abc');
      setTimeout(() => response.end('def'), 2);
    });
    const result = await generate(url, settings);
    expect(result.errors).toEqual(NO_ERRORS);
    expect(result.requests).toBe(received);
  });

  it('counts HTTP/1.0 bodies that run until the server closes the connection', async () => {
    let received = 0;
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        received++;
        socket.end('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nthe body ends when the socket does');
      });
    });
    rawServers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const result = await generate(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, settings);
    expect(result.errors).toEqual(NO_ERRORS);
    expect(result.requests).toBe(received);
    expect(result.statusCodes).toEqual({ '200': result.requests });
  });
});
