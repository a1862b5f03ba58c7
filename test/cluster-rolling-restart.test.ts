import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('rolling restart under load', () => {
  const engines = engineFactory();

  it('replaces every worker while the load goes on, without a failed request', async () => {
    const engine = await engines.open(await engines.tempDir());
    const started = await engine.call('cluster.start', { settings: { workers: 2, metricsIntervalMs: 250, poolThreads: 1 } });
    const oldPids = started.workers.map((w) => w.pid);
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'running-cluster' },
        load: { mode: 'closed', connections: 4, durationSec: 4, warmupSec: 0.3, mix: [{ path: '/io?ms=5' }] },
        sampleIntervalMs: 250,
        rollingRestartAtSec: 0.5,
      },
    });
    const record = await engine.runs.wait(runId)!;

    expect(record.status).toBe('completed');
    const restarts = record.events.filter((e) => e.type === 'restart');
    expect(restarts.map((e) => e.data?.slot).sort()).toEqual([0, 1]);
    expect(record.events.filter((e) => e.type === 'rolling-restart').map((e) => e.message)).toEqual([
      expect.stringMatching(/began/),
      expect.stringMatching(/finished in \d+ ms/),
    ]);
    expect(record.summary.requests!.value).toBeGreaterThan(100);
    expect(record.summary.errors!.value).toBe(0);

    const status = await engine.call('cluster.status', {});
    expect(status.state).toBe('running');
    expect(status.workers.map((w) => w.pid).some((pid) => oldPids.includes(pid))).toBe(false);
  });
});
