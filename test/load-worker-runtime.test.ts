import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe("the test servers' runtime in a load run", () => {
  const engines = engineFactory();

  it("records each worker's heap spaces and GC from its probe, next to the supervisor's heap/eld/cpu, not duplicating them", async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'cluster', cluster: { workers: 2, metricsIntervalMs: 250, poolThreads: 1, probeIntervalMs: 200 } },
        load: { mode: 'closed', connections: 4, durationSec: 1.5, warmupSec: 0.2, mix: [{ path: '/memory?mb=1' }] },
        sampleIntervalMs: 250,
      },
    });
    const record = await engine.runs.wait(runId)!;
    expect(record.status).toBe('completed');
    for (const slot of [0, 1]) {
      expect(record.series[`worker.${slot}.heap.old`]!.v.length).toBeGreaterThan(2);
      expect(record.series[`worker.${slot}.heap.new`]!.v.every((mb) => mb > 0)).toBe(true);
      expect(record.series[`worker.${slot}.gc.pauseMs`]).toBeDefined();
      expect(record.summary[`worker.${slot}.gc.minor.count`]!.value).toBeGreaterThan(0);
      // What the supervisor already reports per worker keeps its one name.
      expect(record.series[`worker.${slot}.heap`]).toBeDefined();
      expect(record.series[`worker.${slot}.heapUsed`]).toBeUndefined();
      expect(record.series[`worker.${slot}.eldP99`]).toBeUndefined();
    }
    // While it ran, its own cluster was inspectable; afterwards nothing of it is left registered.
    const { processes } = await engine.call('runtime.processes', {});
    expect(processes.filter((process) => process.runId === runId)).toEqual([]);
  });
});
