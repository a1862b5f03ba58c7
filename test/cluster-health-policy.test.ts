import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../src/shared/cluster-protocol.js';
import { clusterFactory, waitUntil } from './fixtures/cluster.js';

describe('health policies', () => {
  const clusters = clusterFactory();

  it('replaces a worker whose heap passes the limit, gracefully', async () => {
    const cluster = await clusters.start({ workers: 1, health: { heap: { limitMb: 48 } } });
    const events: ClusterEvent[] = [];
    cluster.onEvent((event) => events.push(event));
    const leakingPid = cluster.workers[0]!.pid;
    await cluster.fault({ action: 'leak', slot: 0, mbPerSecond: 32, seconds: 5 });

    await waitUntil(() => events.some((e) => e.type === 'restart'), 'the leaking worker is replaced');
    expect(events.find((e) => e.type === 'health')?.message).toMatch(/worker 0 is unhealthy \(heap \d+ MB > 48 MB\): replacing it/);
    await waitUntil(() => events.some((e) => e.type === 'worker-exit'), 'the old worker has exited');
    const exit = events.find((e) => e.type === 'worker-exit')!;
    expect(exit.data).toMatchObject({ pid: leakingPid, code: 0, reason: expect.stringMatching(/^health: heap/) });
    await waitUntil(() => cluster.workers[0]?.state === 'running' && cluster.workers[0].pid !== leakingPid, 'successor runs');
    expect(cluster.workers[0]!.restarts).toBe(1);
  });

  it('replaces a worker whose event-loop delay p99 passes the threshold, unless that policy is off', async () => {
    const watched = await clusters.start({ workers: 1, health: { eventLoopDelay: { p99Ms: 200 } } });
    const events: ClusterEvent[] = [];
    watched.onEvent((event) => events.push(event));
    await watched.fault({ action: 'block', slot: 0, ms: 500 });
    await waitUntil(() => events.some((e) => e.type === 'health'), 'the blocked worker is judged unhealthy');
    expect(events.find((e) => e.type === 'health')!.message).toMatch(/event-loop delay p99 \d+ ms > 200 ms/);

    const unwatched = await clusters.start({ workers: 1, health: { eventLoopDelay: { enabled: false, p99Ms: 200 } } });
    const quiet: ClusterEvent[] = [];
    unwatched.onEvent((event) => quiet.push(event));
    await unwatched.fault({ action: 'block', slot: 0, ms: 500 });
    let reportsSinceBlockShowed = -1;
    unwatched.onWorkers((workers) => {
      if (reportsSinceBlockShowed >= 0) reportsSinceBlockShowed++;
      else if (workers[0]!.eldP99Ms >= 400) reportsSinceBlockShowed = 0;
    });
    await waitUntil(() => reportsSinceBlockShowed >= 2, 'the blocked loop was reported, and two reports followed');
    expect(quiet.filter((e) => e.type === 'health' || e.type === 'restart')).toEqual([]);
  });
});
