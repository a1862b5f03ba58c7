import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamPayload } from '../src/shared/contract.js';
import type { WireServerMessage } from '../src/shared/wire.js';
import { connect, startWebHost, type RunningWebHost } from './fixtures/web-host.js';

let running: RunningWebHost;

beforeAll(async () => {
  running = await startWebHost();
});
afterAll(async () => {
  await running?.dispose();
});

const isStream = (message: WireServerMessage, stream: string, runId: string) =>
  message.type === 'stream' && message.stream === stream && (message.payload as { runId?: string }).runId === runId;

describe('a pool run started over the WebSocket', () => {
  it('streams run.status and run.frame messages for that run to the socket', async () => {
    const { port, token } = running.address;
    const client = await connect(`ws://127.0.0.1:${port}/ws?token=${token}`);
    try {
      const started = await client.call('runs.start', {
        spec: { kind: 'pool', task: { name: 'primes', params: { limit: 20_000 } }, pool: { threads: 1 }, jobs: 40 },
      });
      expect(started.ok).toBe(true);
      const { runId } = (started as { ok: true; value: { runId: string } }).value;

      const ended = await client.waitFor(
        (message) =>
          isStream(message, 'run.status', runId) &&
          (message as { payload: StreamPayload<'run.status'> }).payload.status !== 'running',
      );
      expect((ended as { payload: StreamPayload<'run.status'> }).payload.status).toBe('completed');

      const running = client.received.find(
        (message) =>
          isStream(message, 'run.status', runId) &&
          (message as { payload: StreamPayload<'run.status'> }).payload.status === 'running',
      );
      expect(running).toBeDefined();
      const frames = client.received
        .filter((message) => isStream(message, 'run.frame', runId))
        .map((message) => (message as { payload: StreamPayload<'run.frame'> }).payload);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.at(-1)?.progress).toEqual({ done: 40, total: 40 });
    } finally {
      await client.close();
    }
  });
});
