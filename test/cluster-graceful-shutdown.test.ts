import { describe, expect, it } from 'vitest';
import { clusterFactory, isAlive } from './fixtures/cluster.js';

describe('graceful shutdown', () => {
  const clusters = clusterFactory();

  it('lets an in-flight slow request finish before the workers exit', async () => {
    const cluster = await clusters.start({ workers: 2, shutdownTimeoutMs: 10_000 });
    const pids = [cluster.supervisorPid!, ...cluster.workers.map((w) => w.pid).filter((pid): pid is number => !!pid)];
    // 3 s, stopped after 1 s: the request has surely reached a worker (even on a busy machine) and is still in flight.
    const slow = fetch(`${cluster.address}/io?ms=3000`).then(async (response) => ({ status: response.status, body: await response.json() }));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await cluster.stop();

    expect(await slow).toMatchObject({ status: 200, body: { requestedMs: 3000 } });
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  });

  it('kills a worker whose request outlasts the shutdown timeout', async () => {
    const cluster = await clusters.start({ workers: 1, shutdownTimeoutMs: 200 });
    const slow = fetch(`${cluster.address}/io?ms=20000`).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await cluster.stop();
    expect(await slow).toBe('fetch failed');
  });
});
