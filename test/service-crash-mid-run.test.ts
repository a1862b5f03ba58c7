import { describe, expect, it } from 'vitest';
import { alive, fixtureService, groupAlive, serviceEngines, writeServicesFile } from './fixtures/services.js';

describe('a service that exits during the run (a node:cluster primary and its workers)', () => {
  const engines = serviceEngines();

  it("probes every process of it, then ends the run failed with the exit and its last lines, keeping what was measured; none of its processes is left", async () => {
    const dir = await engines.tempDir();
    const file = await writeServicesFile(dir, [
      fixtureService('crashy', 'crash-mid-run.mjs', 3912, {
        env: { PORT: '3912', WORKERS: '2', CRASH_AFTER_MS: '2500' },
        ready: { type: 'log', pattern: 'workers listening', timeoutSec: 15 },
      }),
    ]);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'service', service: 'crashy', probeIntervalMs: 200 },
        load: { connections: 4, durationSec: 20, warmupSec: 0.2, mix: [{ path: '/' }] },
        sampleIntervalMs: 250,
      },
    });
    const started = performance.now();
    const record = (await engine.runs.wait(runId))!;
    // It ended when the service did, not after the 20 s planned.
    expect(performance.now() - started).toBeLessThan(12_000);
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('TB_SERVICE_FAILED');
    expect(record.error?.message).toMatch(/^Service "crashy" exited with code 3 during the run; its last \d+ lines:/);
    expect(record.error?.message).toContain('crash-mid-run: fatal: the widget store is corrupt');
    expect(record.events.some((event) => event.type === 'service-lost')).toBe(true);
    // What was measured before is kept.
    expect(record.summary.requests!.value).toBeGreaterThan(0);
    // The primary and both workers reported through the probe (NODE_OPTIONS reaches cluster workers), each its own series.
    const processes = record.events.filter((event) => event.type === 'service-process').map((event) => event.data as { index: number; pid: number; ppid: number });
    expect(processes).toHaveLength(3);
    const primary = processes.find((process) => process.index === 0)!;
    expect(processes.filter((process) => process.ppid === primary.pid)).toHaveLength(2);
    for (const { index } of processes) expect(record.series[`service.${index}.heapUsed`]?.v.length, `service.${index}`).toBeGreaterThan(1);
    for (const { pid } of processes) expect(alive(pid)).toBe(false);
    // Its watchdog led the process group; nothing of the group is left.
    expect(groupAlive(primary.ppid)).toBe(false);
    expect(engine.children.list()).toEqual([]);
  }, 30_000);
});
