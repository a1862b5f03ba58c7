import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createClient, type StreamPayload } from '../src/shared/contract.js';
import { TunebenchError } from '../src/shared/errors.js';
import { WebSocketBridge } from '../src/renderer/bridge/websocket-bridge.js';
import type { ConnectionState } from '../src/renderer/bridge/connection.js';
import { startWebHost, type RunningWebHost } from './fixtures/web-host.js';

// Node 20 has no global WebSocket; the browser's is what the bridge is written for, and ws implements the same API.
(globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;

let running: RunningWebHost | undefined;
let bridge: WebSocketBridge | undefined;

afterEach(async () => {
  bridge?.dispose();
  await running?.dispose();
  bridge = undefined;
  running = undefined;
});

function waitForState(target: WebSocketBridge, state: ConnectionState): Promise<void> {
  if (target.status.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = target.onStatus((status) => {
      if (status.state !== state) return;
      stop();
      resolve();
    });
  });
}

async function open(): Promise<{ bridge: WebSocketBridge; running: RunningWebHost }> {
  running = await startWebHost();
  const { port, token } = running.address;
  bridge = new WebSocketBridge({ url: `ws://127.0.0.1:${port}/ws?token=${token}`, initialRetryDelayMs: 50, maxRetryDelayMs: 200 });
  return { bridge, running };
}

describe("the renderer's WebSocket bridge to the web host", () => {
  it('carries calls and a run’s status and frames to the contract client', async () => {
    const { bridge, running } = await open();
    const client = createClient(bridge);
    const info = await client.call('app.info', {});
    expect(info.dataDir).toBe(running.dataDir);

    const frames: StreamPayload<'run.frame'>[] = [];
    const stopFrames = client.on('run.frame', (frame) => frames.push(frame));
    const ended = new Promise<StreamPayload<'run.status'>>((resolve) => {
      const stop = client.on('run.status', (status) => {
        if (status.status === 'running') return;
        stop();
        resolve(status);
      });
    });
    const { runId } = await client.call('runs.start', {
      spec: { kind: 'pool', task: { name: 'spin', params: { ms: 1 } }, jobs: 20, concurrency: 2 },
    });
    expect(await ended).toMatchObject({ runId, status: 'completed' });
    stopFrames();
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((frame) => frame.runId === runId)).toBe(true);
    expect(frames.at(-1)?.progress).toEqual({ done: 20, total: 20 });
  });

  it('turns an engine error into a TunebenchError with its code', async () => {
    const { bridge } = await open();
    const client = createClient(bridge);
    const failure = await client.call('runs.get', { runId: 'no-such-run' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TunebenchError);
    expect(failure).toMatchObject({ code: 'TB_RUN_NOT_FOUND', message: 'Run "no-such-run" not found' });
  });

  it('fails a call in flight when the host goes away, reports "disconnected", and refuses new calls clearly', async () => {
    const { bridge, running } = await open();
    await waitForState(bridge, 'open');
    const inFlight = bridge.call('tasks.run', { task: { name: 'spin', params: { ms: 3_000 } } });
    // Give the call time to reach the host before it closes.
    await bridge.call('app.info', {});
    const disconnected = waitForState(bridge, 'disconnected');
    await running.host.dispose();
    await disconnected;

    const envelope = await inFlight;
    expect(envelope.ok).toBe(false);
    expect(!envelope.ok && envelope.error.code).toBe('TB_CONNECTION_LOST');
    expect(!envelope.ok && envelope.error.message).toMatch(/^"tasks\.run" failed: Lost the connection to the Tunebench host/);
    expect(bridge.status.retryAt).toBeGreaterThan(0);

    const refused = await bridge.call('app.info', {});
    expect(refused).toEqual({
      ok: false,
      error: { code: 'TB_HOST_DISCONNECTED', message: 'Not connected to the Tunebench host (reconnecting); "app.info" was not sent' },
    });
  });

  it('names a bad URL or retry delays at construction', () => {
    expect(() => new WebSocketBridge({ url: 'http://127.0.0.1/ws' })).toThrow(
      'WebSocketBridge url must start with ws:// or wss:// (got "http://127.0.0.1/ws")',
    );
    expect(() => new WebSocketBridge({ url: 'ws://127.0.0.1/ws', initialRetryDelayMs: 500, maxRetryDelayMs: 100 })).toThrow(
      'WebSocketBridge retry delays must satisfy 0 < initial <= max (got 500 and 100)',
    );
  });
});
