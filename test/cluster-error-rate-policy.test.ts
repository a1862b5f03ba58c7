import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../src/shared/cluster-protocol.js';
import { clusterFactory, waitUntil } from './fixtures/cluster.js';
import { generate } from './fixtures/load.js';

describe('error-rate health policy', () => {
  const clusters = clusterFactory();

  it('replaces a worker whose requests fail beyond the threshold, gracefully, and leaves a healthy one alone', async () => {
    const cluster = await clusters.start({ workers: 2, health: { errorRate: { threshold: 0.5, minRequests: 20 } } });
    const events: ClusterEvent[] = [];
    cluster.onEvent((event) => events.push(event));
    const failingPid = cluster.workers[0]!.pid;

    // Worker 0 answers every request with 500; worker 1 answers the same request with 200.
    const result = await generate(cluster.address, {
      connections: 8,
      durationSec: 20,
      requests: 200,
      warmupSec: 0,
      mix: [{ path: '/error?status=500&slot=0' }],
    });
    expect(result.byWorker['0']).toBeGreaterThanOrEqual(20);
    expect(result.statusCodes['500']).toBe(result.byWorker['0']);

    await waitUntil(() => events.some((e) => e.type === 'worker-exit' && e.data?.pid === failingPid), 'the failing worker has exited');
    const health = events.filter((e) => e.type === 'health');
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ slot: 0, message: 'worker 0 is unhealthy (error rate 100.0 % > 50.0 %): replacing it' });
    // Gracefully: drained and exited by itself, after its successor was listening.
    const exit = events.find((e) => e.type === 'worker-exit' && e.data?.pid === failingPid)!;
    expect(exit.data).toMatchObject({ code: 0, signal: null, reason: 'health: error rate 100.0 % > 50.0 %' });
    const successorStart = events.findIndex((e) => e.type === 'worker-start' && e.slot === 0);
    expect(successorStart).toBeGreaterThanOrEqual(0);
    expect(successorStart).toBeLessThan(events.indexOf(exit));
    expect(events.filter((e) => e.slot === 1 && e.type !== 'worker-start')).toEqual([]);
  });

  it('keeps a worker whose requests all fail when the policy is off', async () => {
    const cluster = await clusters.start({ workers: 1, health: { errorRate: { enabled: false, threshold: 0.5, minRequests: 20 } } });
    const events: ClusterEvent[] = [];
    cluster.onEvent((event) => events.push(event));
    const pid = cluster.workers[0]!.pid;

    const result = await generate(cluster.address, { connections: 2, durationSec: 20, requests: 100, warmupSec: 0, mix: [{ path: '/error' }] });
    expect(result.errors.non2xx).toBe(result.requests);
    // Two rounds after the supervisor has seen every failure: time enough for the policy to have acted.
    let roundsAfter = -1;
    cluster.onWorkers((workers) => {
      if (roundsAfter >= 0) roundsAfter++;
      else if (workers[0]!.errors >= result.requests) roundsAfter = 0;
    });
    await waitUntil(() => roundsAfter >= 2, 'the failures were reported, and two rounds followed');
    expect(events.filter((e) => e.type === 'health' || e.type === 'restart' || e.type === 'worker-exit')).toEqual([]);
    expect(cluster.workers[0]).toMatchObject({ pid, state: 'running', restarts: 0 });
  });
});
