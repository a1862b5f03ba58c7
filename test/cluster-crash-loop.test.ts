import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../src/shared/cluster-protocol.js';
import { clusterFactory, waitUntil } from './fixtures/cluster.js';

describe('cluster restarts', () => {
  const clusters = clusterFactory();

  it('restarts a crashed worker with doubling backoff, then gives up on a crash loop until a manual restart', async () => {
    const cluster = await clusters.start({
      workers: 1,
      restart: { initialBackoffMs: 20, maxBackoffMs: 1_000, crashLoopCount: 2, crashLoopWindowMs: 60_000 },
    });
    const events: ClusterEvent[] = [];
    cluster.onEvent((event) => events.push(event));
    const worker = () => cluster.workers[0];

    for (let crash = 1; crash <= 2; crash++) {
      await waitUntil(() => worker()?.state === 'running' && worker()!.restarts === crash - 1, `worker runs before crash ${crash}`);
      await cluster.fault({ action: 'kill', slot: 0 });
      await waitUntil(() => events.filter((e) => e.type === 'restart').length === crash, `restart ${crash}`);
    }
    const restarts = events.filter((e) => e.type === 'restart');
    expect(restarts.map((e) => e.data?.delayMs)).toEqual([20, 40]);
    expect(restarts[0]!.message).toMatch(/signal SIGKILL/);

    await waitUntil(() => worker()?.state === 'running' && worker()!.restarts === 2, 'worker runs before the third crash');
    await cluster.fault({ action: 'kill', slot: 0 });
    await waitUntil(() => events.some((e) => e.type === 'crash-loop'), 'crash loop detected');
    await waitUntil(() => worker()?.state === 'crash-loop', 'slot reported in crash-loop');
    expect(events.filter((e) => e.type === 'restart')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'worker-exit')).toHaveLength(3);
    await expect(cluster.fault({ action: 'kill', slot: 0 })).rejects.toThrow(/no running worker \(state crash-loop\)/);

    await cluster.rollingRestart();
    await waitUntil(() => worker()?.state === 'running', 'slot revived by a manual restart');
    const health = await fetch(`${cluster.address}/health`);
    expect(health.status).toBe(200);
  });

  it('starts the backoff again after a worker ran stably', async () => {
    const cluster = await clusters.start({
      workers: 1,
      restart: { initialBackoffMs: 20, maxBackoffMs: 1_000, stableAfterMs: 3_000, crashLoopCount: 10 },
    });
    const events: ClusterEvent[] = [];
    cluster.onEvent((event) => events.push(event));
    const worker = () => cluster.workers[0];
    const crash = async (n: number, upAtLeastMs = 0) => {
      await waitUntil(
        () => worker()?.state === 'running' && worker()!.restarts === n - 1 && worker()!.uptimeMs >= upAtLeastMs,
        `worker up ${upAtLeastMs} ms before crash ${n}`,
      );
      await cluster.fault({ action: 'kill', slot: 0 });
      // Listening again: a worker stopped while it starts would take the shutdown timeout to go.
      await waitUntil(() => worker()?.state === 'running' && worker()!.restarts === n, `restart ${n}`);
    };
    await crash(1);
    await crash(2);
    await crash(3, 3_100);
    await crash(4);
    expect(events.filter((e) => e.type === 'restart').map((e) => e.data?.delayMs)).toEqual([20, 40, 20, 40]);
  });

  it('refuses faults for slots that do not exist', async () => {
    const cluster = await clusters.start({ workers: 1 });
    await expect(cluster.fault({ action: 'block', slot: 3, ms: 10 })).rejects.toThrow('slot 3 does not exist (slots 0..0)');
  });
});
