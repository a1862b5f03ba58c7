import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('a fault sent to a worker that is dying', () => {
  const engines = engineFactory();

  it('does not take the supervisor down: the killed worker restarts and the other keeps serving', async () => {
    const engine = await engines.open(await engines.tempDir());
    const status = await engine.call('cluster.start', { settings: { workers: 2, metricsIntervalMs: 200, poolThreads: 1 } });
    const supervisorPid = status.supervisorPid;

    // kill -9 and, in the same breath, a message to the same worker: the send races its death.
    const faults = [
      engine.call('cluster.fault', { fault: { action: 'kill', slot: 0 } }),
      ...Array.from({ length: 5 }, () => engine.call('cluster.fault', { fault: { action: 'block', slot: 0, ms: 1 } }).catch(() => undefined)),
    ];
    await Promise.all(faults);

    let current = status;
    for (let tries = 0; tries < 100; tries++) {
      current = await engine.call('cluster.status', {});
      const slot0 = current.workers.find((worker) => worker.slot === 0);
      if (slot0?.state === 'running' && slot0.pid !== status.workers.find((w) => w.slot === 0)!.pid) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(current.state).toBe('running');
    expect(current.supervisorPid).toBe(supervisorPid);
    expect(current.workers.find((worker) => worker.slot === 0)!.restarts).toBeGreaterThanOrEqual(1);
    const health = await fetch(`${current.address}/health`);
    expect(health.status).toBe(200);
  });
});
