import { afterEach, expect, test } from 'vitest';
import { NOISE_SERIES, NoiseVerdictSchema } from '../src/shared/noise.js';
import { engineFactory } from './fixtures/engine.js';
import { procTimes, startOutsideBusyLoop, type BusyLoop } from './fixtures/busy-loop.js';

const engines = engineFactory();
const loops: BusyLoop[] = [];
afterEach(() => {
  for (const loop of loops.splice(0)) loop.stop();
});

test.runIf(process.platform === 'linux')(
  "a run records the machine's noise on its time axis, and a busy loop outside its tree makes it busy",
  async () => {
    const engine = await engines.open(await engines.tempDir());
    const loop = await startOutsideBusyLoop();
    loops.push(loop);
    // Not ours: the shell that started it is gone, and it was handed to another parent.
    expect(procTimes(loop.pid).ppid).not.toBe(process.pid);

    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 20 } },
        pool: { implementation: 'piscina', threads: 1, maxQueue: 10 },
        jobs: 150,
        concurrency: 1,
        sampleIntervalMs: 250,
      },
    });
    const record = await engine.runs.wait(runId)!;
    expect(record.status, record.error?.message).toBe('completed');

    // Series on the run's time axis: a point a second, the last one at the end.
    const others = record.series[NOISE_SERIES.othersCores]!;
    expect(others).toBeDefined();
    expect(others.unit).toBe('cores');
    expect(others.t.length).toBeGreaterThanOrEqual(Math.floor(record.durationMs / 1000));
    for (let i = 0; i < others.t.length; i++) {
      expect(others.t[i]!).toBeGreaterThan(i > 0 ? others.t[i - 1]! : 0);
      expect(others.t[i]!).toBeLessThanOrEqual(record.durationMs + 50);
      expect(others.v[i]!).toBeGreaterThanOrEqual(0);
    }
    expect(record.durationMs - others.t.at(-1)!).toBeLessThan(500);
    for (const name of [NOISE_SERIES.steal, NOISE_SERIES.loadAverage]) {
      expect(record.series[name]?.t, name).toEqual(others.t);
    }
    // The saved record and what the store gives back both carry the verdict.
    const noise = NoiseVerdictSchema.parse(record.noise);
    const { run: saved } = await engine.call('runs.get', { runId });
    expect(saved.noise).toEqual(noise);
    const { runs } = await engine.call('runs.list', {});
    expect(runs.find((run) => run.id === runId)?.noise).toEqual(noise);

    // The loop spins a core of its own: the machine was busy whatever else ran.
    expect(noise.othersCores!).toBeGreaterThan(0.5);
    expect(noise.othersCoresMax!).toBeGreaterThanOrEqual(noise.othersCores! - 1e-9);
    expect(noise.verdict).toBe('busy');
    expect(noise.summary).toMatch(/^busy: others used \d+(\.\d+)? cores \(threshold 0\.25\)$/);
    expect(noise.loadAverage).toBeGreaterThan(0);
    expect(noise.stealRatio).toBeGreaterThanOrEqual(0);
  },
  60_000,
);
