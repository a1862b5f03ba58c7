import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('load run on its own cluster', () => {
  const engines = engineFactory();

  it('keeps going when a worker is killed with -9: the worker restarts and the restart is on the timeline', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'cluster', cluster: { workers: 2, metricsIntervalMs: 250, poolThreads: 1 } },
        load: { mode: 'closed', connections: 4, durationSec: 3, warmupSec: 0.5, mix: [{ path: '/health' }] },
        sampleIntervalMs: 250,
        faults: [{ atSec: 0.8, fault: { action: 'kill', slot: 0 } }],
      },
    });
    const record = await engine.runs.wait(runId)!;

    expect(record.status, record.error?.message).toBe('completed');
    const types = record.events.map((e) => e.type);
    expect(types).toContain('fault');
    const exit = record.events.find((e) => e.type === 'worker-exit' && e.data?.slot === 0);
    expect(exit?.message).toMatch(/signal SIGKILL: crashed/);
    const restart = record.events.find((e) => e.type === 'restart' && e.data?.slot === 0);
    expect(restart).toBeDefined();
    expect(record.summary['worker.0.restarts']!.value).toBeGreaterThanOrEqual(1);

    // Load went on after the restart: throughput samples after it are not all zero.
    const throughput = record.series.throughput!;
    const after = throughput.v.filter((_, i) => throughput.t[i]! > restart!.t);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.max(...after)).toBeGreaterThan(0);
    expect(record.summary.requests!.value).toBeGreaterThan(100);
    expect(record.summary['latency.p99']!.value).toBeGreaterThanOrEqual(record.summary['latency.p50']!.value);
    // Both workers served part of the load, and per-worker series were recorded.
    expect(record.summary['worker.1.requests']!.value).toBeGreaterThan(0);
    expect(record.series['worker.1.rps']!.v.length).toBeGreaterThan(0);
    expect(record.environment.extra?.clusterNode).toMatch(/^v\d+/);
  });
});
