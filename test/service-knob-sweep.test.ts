import { describe, expect, it } from 'vitest';
import { exampleOnPort, exampleServices, serviceEngines } from './fixtures/services.js';

describe('a sweep over a service knob', () => {
  const engines = serviceEngines();

  it("runs each point on a service started with that point's knob value and recommends a setting, naming the knob", async () => {
    const dir = await engines.tempDir();
    const file = await exampleOnPort(exampleServices.cpuPool, 3941, dir);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const { sweepId } = await engine.call('sweeps.start', {
      spec: {
        kind: 'sweep',
        base: {
          kind: 'load',
          target: { type: 'service', service: 'cpu-pool', knobs: { threads: 1 } },
          load: { connections: 4, durationSec: 1.5, warmupSec: 0.3, mix: [{ path: '/work?n=24' }] },
          sampleIntervalMs: 250,
        },
        axes: [{ path: 'target.knobs.threads', values: [1, 2] }],
        repeats: 2,
        warmup: 0,
        seed: 3,
      },
    });
    const record = (await engine.studies.sweeps.wait(sweepId))!;
    expect(record.status).toBe('completed');
    expect(record.runs).toHaveLength(4);
    expect(record.runs.every((run) => run.status === 'completed')).toBe(true);
    // Each run's service got its point's value.
    for (const entry of record.runs) {
      const run = (await engine.call('runs.get', { runId: entry.runId })).run;
      const threads = record.points[entry.point]!.settings['target.knobs.threads'];
      expect(JSON.parse(run.environment.extra!.serviceKnobs!)).toEqual({ threads, processes: 1 });
      expect(run.tables!.serviceLog!.rows.some((row) => String(row[2]).includes(`(${threads} threads)`))).toBe(true);
    }
    const { analysis } = await engine.call('sweeps.get', { sweepId });
    expect(analysis.metric).toBe('throughput');
    expect(analysis.points).toHaveLength(2);
    expect(analysis.best?.settings).toEqual({ 'target.knobs.threads': expect.any(Number) });
    expect(analysis.best?.evidence.join(' ')).toMatch(/threads/);
    expect(analysis.knees[0]?.settings).toEqual({ 'target.knobs.threads': expect.any(Number) });
    expect(engine.children.list()).toEqual([]);
  }, 60_000);
});
