import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startWebHost, type RunningWebHost } from './fixtures/web-host.js';

let running: RunningWebHost;

/** A small cap, so the over-the-cap message is cheap to send; the default leaves room for the largest import. */
const MESSAGE_CAP = 64 * 1024;

beforeAll(async () => {
  running = await startWebHost({ maxMessageBytes: MESSAGE_CAP });
});
afterAll(async () => {
  await running?.dispose();
});

const socketUrl = (port: number, token?: string) => `ws://127.0.0.1:${port}/ws${token ? `?token=${token}` : ''}`;

describe('web host WebSocket', () => {
  it('refuses a socket without the token, with a wrong token, or from a foreign Origin', async () => {
    const { port, token } = running.address;
    await expect(connect(socketUrl(port))).rejects.toThrow('upgrade refused with 401');
    await expect(connect(socketUrl(port, 'wrong'))).rejects.toThrow('upgrade refused with 401');
    await expect(connect(socketUrl(port, token), { origin: 'http://evil.example' })).rejects.toThrow(
      'upgrade refused with 403',
    );
    await expect(connect(socketUrl(port, token), { host: `evil.example:${port}` })).rejects.toThrow(
      'upgrade refused with 403',
    );
  });

  it('answers contract calls for the token, from our own Origin', async () => {
    const { port, token } = running.address;
    const client = await connect(socketUrl(port, token), { origin: `http://127.0.0.1:${port}` });
    try {
      const envelope = await client.call('app.info', {});
      expect(envelope.ok).toBe(true);
      expect(envelope.ok && (envelope.value as { dataDir: string }).dataDir).toBe(running.dataDir);
    } finally {
      await client.close();
    }
  });

  it('answers unreadable messages with TB_INVALID_PAYLOAD and keeps the socket and engine working', async () => {
    const { port, token } = running.address;
    const client = await connect(socketUrl(port, token));
    try {
      client.sendRaw('this is not json');
      const loose = await client.waitFor((message) => message.type === 'error');
      expect(loose).toMatchObject({ type: 'error', error: { code: 'TB_INVALID_PAYLOAD' } });
      expect(loose.type === 'error' && loose.error.message).toContain('not JSON');

      client.sendRaw(JSON.stringify({ type: 'call', id: 41, name: 42 }));
      const withId = await client.waitFor((message) => message.type === 'result' && message.id === 41);
      expect(withId).toMatchObject({ envelope: { ok: false, error: { code: 'TB_INVALID_PAYLOAD' } } });
      expect(withId.type === 'result' && !withId.envelope.ok && withId.envelope.error.message).toContain('name');

      const unknown = await client.call('no.such.call', {});
      expect(unknown).toMatchObject({ ok: false, error: { code: 'TB_UNKNOWN_CALL' } });

      const after = await client.call('app.info', {});
      expect(after.ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('closes only the socket that sends a message over the size cap', async () => {
    const { port, token } = running.address;
    const greedy = await connect(socketUrl(port, token));
    const bystander = await connect(socketUrl(port, token));
    try {
      const closed = new Promise<number>((resolve) => greedy.socket.once('close', (code) => resolve(code)));
      greedy.sendRaw(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: { pad: 'x'.repeat(MESSAGE_CAP) } }));
      expect(await closed).toBe(1009);
      expect((await bystander.call('app.info', {})).ok).toBe(true);
    } finally {
      await greedy.close();
      await bystander.close();
    }
  });
});
