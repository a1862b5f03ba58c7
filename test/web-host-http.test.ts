import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { get, startWebHost, type RunningWebHost } from './fixtures/web-host.js';

let running: RunningWebHost;
let printed: string[];

beforeAll(async () => {
  printed = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    running = await startWebHost();
  } finally {
    spy.mockRestore();
  }
});
afterAll(async () => {
  await running?.dispose();
});

describe('web host over HTTP', () => {
  it('listens on a free port of 127.0.0.1, prints nothing, and gives a URL with the token', () => {
    const { port, token, url } = running.address;
    expect(port).toBeGreaterThan(0);
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(printed).toEqual([]);
  });

  it('cannot be reached on any other interface', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal);
    if (!external) return;
    const reached = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: external.address, port: running.address.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });

  it('answers a request without token or cookie with 401 TB_UNAUTHORIZED', async () => {
    const response = await get(running.address.port, '/');
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ code: 'TB_UNAUTHORIZED', message: 'Missing or wrong session token' });
    const wrong = await get(running.address.port, '/?token=not-the-token');
    expect(wrong.status).toBe(401);
  });

  it('serves index.html for the token and sets an HttpOnly SameSite=Strict cookie (not the token) and strict headers', async () => {
    const { port, token } = running.address;
    const response = await get(port, `/?token=${token}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('tunebench test renderer');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).not.toContain(token);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets to the cookie alone, with their content type', async () => {
    const { port, token } = running.address;
    const cookie = String((await get(port, `/?token=${token}`)).headers['set-cookie']).split(';')[0]!;
    const response = await get(port, '/assets/app.js', { cookie });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toContain('fixture');
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const { port, token } = running.address;
    const response = await get(port, `/?token=${token}`, { host: `evil.example:${port}` });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).code).toBe('TB_FORBIDDEN_ORIGIN');
    const localhost = await get(port, `/?token=${token}`, { host: `localhost:${port}` });
    expect(localhost.status).toBe(200);
  });

  it('serves nothing outside the renderer folder and no index.html for unknown paths', async () => {
    const { port, token } = running.address;
    for (const attempt of ['/..%2foutside-renderer.txt', '/%2e%2e/outside-renderer.txt', '/assets/..%2f..%2foutside-renderer.txt']) {
      const response = await get(port, `${attempt}?token=${token}`);
      expect(response.status, attempt).toBe(404);
      expect(response.body).not.toContain('outside the renderer folder');
    }
    const unknown = await get(port, `/some/page?token=${token}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toContain('tunebench test renderer');
  });
});
