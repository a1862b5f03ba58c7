import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, get, startWebHost, type RunningWebHost } from './fixtures/web-host.js';

let running: RunningWebHost;

beforeAll(async () => {
  running = await startWebHost();
});
afterAll(async () => {
  await running?.dispose();
});

// Cookies ignore ports: any other server on 127.0.0.1 that the browser visits receives this one.
describe('the web host cookie is not a session', () => {
  it('opens no socket: a server that read the cookie cannot reach the engine', async () => {
    const { port, token } = running.address;
    const setCookie = String((await get(port, `/?token=${token}`)).headers['set-cookie']);
    const cookie = setCookie.split(';')[0]!;
    const value = cookie.slice(cookie.indexOf('=') + 1);
    expect(value).not.toBe(token);
    await expect(connect(`ws://127.0.0.1:${port}/ws`, { cookie })).rejects.toThrow('upgrade refused with 401');
    await expect(connect(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(value)}`)).rejects.toThrow('upgrade refused with 401');
  });

  it('still serves the static files to it, which hold nothing secret', async () => {
    const { port, token } = running.address;
    const cookie = String((await get(port, `/?token=${token}`)).headers['set-cookie']).split(';')[0]!;
    expect((await get(port, '/assets/app.js', { cookie })).status).toBe(200);
  });
});
