import { describe, expect, it } from 'vitest';
import type { StreamPayload } from '../src/shared/contract.js';
import { isAlive, waitUntil } from './fixtures/cluster.js';
import { engineFactory } from './fixtures/engine.js';

describe('cluster calls through the contract', () => {
  const engines = engineFactory();

  it('starts, reports, takes faults, refuses what makes no sense, and stops the standing cluster', async () => {
    const engine = await engines.open(await engines.tempDir());
    const statuses: StreamPayload<'cluster.status'>[] = [];
    const events: StreamPayload<'cluster.event'>[] = [];
    engine.onStream((stream, payload) => {
      if (stream === 'cluster.status') statuses.push(payload as StreamPayload<'cluster.status'>);
      if (stream === 'cluster.event') events.push(payload as StreamPayload<'cluster.event'>);
    });

    expect(await engine.call('cluster.status', {})).toEqual({ state: 'stopped', workers: [] });
    await expect(engine.call('cluster.fault', { fault: { action: 'kill', slot: 0 } })).rejects.toMatchObject({
      code: 'TB_CLUSTER_NOT_RUNNING',
      message: 'no cluster is running; start one first',
    });
    await expect(engine.call('cluster.start', { settings: { workers: 65 } })).rejects.toMatchObject({
      code: 'TB_INVALID_PAYLOAD',
      message: expect.stringMatching(/settings\.workers/),
    });
    await expect(engine.call('cluster.start', { settings: { nodePath: '/usr/bin/node' } })).rejects.toMatchObject({
      code: 'TB_INVALID_PAYLOAD',
      message: expect.stringContaining('"settings.nodePath" is no longer a spec setting: choose the Node runtime with --node'),
    });

    const status = await engine.call('cluster.start', { settings: { workers: 2, metricsIntervalMs: 200, poolThreads: 1 } });
    expect(status).toMatchObject({ state: 'running', address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(statuses.some((s) => s.state === 'starting')).toBe(true);
    await expect(engine.call('cluster.start', {})).rejects.toMatchObject({ code: 'TB_CLUSTER_RUNNING' });
    expect((await fetch(`${status.address}/health`)).status).toBe(200);

    await waitUntil(() => statuses.at(-1)?.workers.length === 2, 'worker table reported');
    const { message } = await engine.call('cluster.fault', { fault: { action: 'block', slot: 1, ms: 50 } });
    expect(message).toMatch(/worker 1 .* blocks its event loop for 50 ms/);
    await expect(engine.call('cluster.fault', { fault: { action: 'leak', slot: 9 } })).rejects.toMatchObject({
      code: 'TB_CLUSTER_NO_SUCH_SLOT',
      message: 'slot 9 does not exist (slots 0..1)',
    });
    await engine.call('cluster.fault', { fault: { action: 'kill', slot: 0 } });
    await waitUntil(() => events.some((e) => e.type === 'restart' && e.slot === 0), 'restart event streamed');
    await waitUntil(() => statuses.at(-1)?.workers[0]?.restarts === 1, 'restart counted in the worker table');

    const pids = [status.supervisorPid!, ...(statuses.at(-1)?.workers.map((w) => w.pid!) ?? [])];
    expect(await engine.call('cluster.stop', {})).toEqual({ state: 'stopped', workers: [] });
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 'cluster processes gone', 3_000);
  });

  it('refuses a load run on the standing cluster when none runs', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', { spec: { kind: 'load', target: { type: 'running-cluster' } } });
    const record = await engine.runs.wait(runId)!;
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ code: 'TB_CLUSTER_NOT_RUNNING', message: expect.stringMatching(/no cluster is running/) });
  });

  it('names the invalid field of a load spec', async () => {
    const engine = await engines.open(await engines.tempDir());
    await expect(
      engine.call('runs.start', { spec: { kind: 'load', load: { mode: 'open' } } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/load\.rate: open loop needs a rate/) });
    await expect(
      engine.call('runs.start', { spec: { kind: 'load', target: { type: 'url', url: 'ftp://x' } } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/target\.url: must be an http/) });
    await expect(
      engine.call('runs.start', {
        spec: { kind: 'load', target: { type: 'url', url: 'http://127.0.0.1:1' }, faults: [{ atSec: 1, fault: { action: 'kill', slot: 0 } }] },
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/faults: faults and rolling restarts need a cluster target/) });
  });
});
