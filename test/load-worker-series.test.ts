import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('per-worker series of a load run on a cluster', () => {
  const engines = engineFactory();

  it('count every answer for the worker that gave it, in the interval it came, a killed worker included', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'cluster', cluster: { workers: 2, metricsIntervalMs: 250, poolThreads: 1 } },
        load: { mode: 'closed', connections: 4, durationSec: 1.5, warmupSec: 0.2, mix: [{ path: '/io?ms=5' }] },
        sampleIntervalMs: 250,
        faults: [{ atSec: 0.6, fault: { action: 'kill', slot: 0 } }],
      },
    });
    const record = await engine.runs.wait(runId)!;
    expect(record.status).toBe('completed');
    const value = (key: string) => record.summary[key]!.value;

    // The killed worker's answers up to its death are counted, and the two add up to the run.
    expect(value('worker.0.requests')).toBeGreaterThan(0);
    expect(value('worker.0.requests') + value('worker.1.requests')).toBe(value('requests'));
    expect(value('worker.0.restarts')).toBe(1);
    expect(value('worker.1.restarts')).toBe(0);

    // Each interval: the workers' rates add up to the throughput, at the same instant; none lags a round.
    const throughput = record.series.throughput!;
    const [w0, w1] = [record.series['worker.0.rps']!, record.series['worker.1.rps']!];
    expect(w0.t).toEqual(throughput.t);
    expect(w1.t).toEqual(throughput.t);
    throughput.v.forEach((total, i) => expect(w0.v[i]! + w1.v[i]!).toBeCloseTo(total, 6));
    // The first interval under load already shows both workers serving.
    expect(w0.v[0]).toBeGreaterThan(0);
    expect(w1.v[0]).toBeGreaterThan(0);
    // Event-loop delay, CPU and heap come from the supervisor's rounds.
    expect(record.series['worker.1.eld']!.v.length).toBeGreaterThan(0);
    expect(record.series['worker.1.heap']!.v.every((mb) => mb > 0)).toBe(true);
  });
});
