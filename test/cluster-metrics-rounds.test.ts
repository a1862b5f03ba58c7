import { describe, expect, it } from 'vitest';
import type { WorkerStatus } from '../src/shared/specs/cluster.js';
import { clusterFactory, waitUntil } from './fixtures/cluster.js';

async function serve(address: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await (await fetch(`${address}/health`)).text();
}

describe('supervisor metrics rounds', () => {
  const clusters = clusterFactory();

  it('report what each worker served up to the round, not up to the round before', async () => {
    const cluster = await clusters.start({ workers: 1, metricsIntervalMs: 300 });
    const rounds: Array<{ at: number; worker: WorkerStatus }> = [];
    cluster.onWorkers((workers, at) => rounds.push({ at, worker: workers[0]! }));
    // Right after a round, so every request falls between two rounds.
    await waitUntil(() => rounds.length > 0, 'a first round');
    await serve(cluster.address, 20);
    const servedAt = Date.now();
    await waitUntil(() => rounds.some((round) => round.at > servedAt), 'a round asked after the requests');

    const next = rounds.find((round) => round.at > servedAt)!.worker;
    expect(next.requests).toBe(20);
    expect(next.rps).toBeGreaterThan(0);
  });

  it('keep what a gracefully replaced worker served after its last round', async () => {
    const cluster = await clusters.start({ workers: 1, metricsIntervalMs: 1_000 });
    let reports = 0;
    cluster.onWorkers(() => reports++);
    await waitUntil(() => reports > 0, 'a first round');
    const oldPid = cluster.workers[0]!.pid;
    // Served and replaced before the next round can ask for them: only the worker's last report carries them.
    await serve(cluster.address, 15);
    await cluster.rollingRestart();

    await waitUntil(
      () => cluster.workers[0]!.pid !== oldPid && cluster.workers[0]!.requests === 15,
      'the successor runs and the slot counts the 15 requests',
    );
  });
});
