import { describe, expect, it } from 'vitest';
import { exampleOnPort, exampleServices, serviceEngines } from './fixtures/services.js';

describe('the leak detector on a service (examples/leaky)', () => {
  const engines = serviceEngines();

  it("flags the growing live set of the service's process", async () => {
    const dir = await engines.tempDir();
    const file = await exampleOnPort(exampleServices.leaky, 3961, dir);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: {
          type: 'service',
          service: 'leaky',
          knobs: { heapMb: 128 },
          probeIntervalMs: 250,
          // A short rule for a test: the example's run.json uses the defaults over 25 s.
          // 2 s of sustained growth in 8 s: room for a late start or a lower achieved rate on a busy machine.
          leakRule: { warmupSec: 1, sustainSec: 2, windowSec: 20, minPoints: 3, minGrowthMbPerMin: 1, minR2: 0.6 },
        },
        load: { mode: 'open', rate: 400, connections: 4, durationSec: 8, warmupSec: 0.5, mix: [{ path: '/report?user=ada' }] },
        sampleIntervalMs: 500,
      },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('completed');
    const verdict = record.events.filter((event) => event.type === 'leak' && event.data?.process === 'service.0').at(-1);
    expect(verdict?.data?.status, JSON.stringify(verdict)).toBe('possible-leak');
    expect(record.summary['service.0.leak.flagged']!.value).toBe(1);
    expect(record.summary['service.0.leak.slopeMbPerMin']!.value).toBeGreaterThan(1);
    expect(record.series['service.0.leak.floor']!.v.length).toBeGreaterThanOrEqual(3);
  }, 40_000);
});
