import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/shared/errors.js';
import { get, startWebHost, type RunningWebHost } from './fixtures/web-host.js';

/**
 * The web host answers each refusal with the status the error catalogue gives
 * its code and the error as the body: an unknown path is a 404 TB_NOT_FOUND
 * (not an invalid payload), another method a 405 TB_METHOD_NOT_ALLOWED, a
 * WebSocket upgrade anywhere but /ws a 404 TB_NOT_FOUND too.
 */
let running: RunningWebHost;

beforeAll(async () => {
  running = await startWebHost();
});
afterAll(async () => {
  await running?.dispose();
});

function request(method: string, requestPath: string): Promise<{ status: number; allow: string | undefined; body: string }> {
  const { port } = running.address;
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, path: requestPath, method, headers: { host: `127.0.0.1:${port}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, allow: response.headers.allow, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A raw upgrade request, so the refusal's status line and body can be read. */
function upgrade(requestPath: string): Promise<string> {
  const { port } = running.address;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        `GET ${requestPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('web host statuses come from the error catalogue', () => {
  it('answers an unknown path with 404 TB_NOT_FOUND naming the path', async () => {
    const response = await get(running.address.port, `/some/page?token=${running.address.token}`);
    expect(response.status).toBe(404);
    expect(errorCatalogue.TB_NOT_FOUND.http).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ code: 'TB_NOT_FOUND', message: 'Nothing to serve at /some/page' });
  });

  it('answers another method with 405 TB_METHOD_NOT_ALLOWED and the Allow header', async () => {
    const response = await request('POST', `/?token=${running.address.token}`);
    expect(response.status).toBe(405);
    expect(response.allow).toBe('GET, HEAD');
    expect(JSON.parse(response.body)).toEqual({ code: 'TB_METHOD_NOT_ALLOWED', message: 'Method POST is not allowed here; use GET or HEAD' });
  });

  it('refuses a WebSocket upgrade outside /ws with 404 TB_NOT_FOUND', async () => {
    const answer = await upgrade(`/elsewhere?token=${running.address.token}`);
    expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ code: 'TB_NOT_FOUND', message: 'Nothing to serve at /elsewhere' });
  });

  it('keeps the Host check a 403 TB_FORBIDDEN_ORIGIN', async () => {
    const response = await get(running.address.port, `/?token=${running.address.token}`, { host: 'evil.example' });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ code: 'TB_FORBIDDEN_ORIGIN', message: 'Request refused: Host "evil.example" is not this workbench' });
  });
});
