import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import type { RunSink } from '../src/main/engine/kinds/kind.js';
import { MachineNoiseRecorder } from '../src/main/engine/noise/machine-noise.js';
import { NOISE_SERIES } from '../src/shared/noise.js';
import { machineTicks, procTimes, startChildBusyLoop, type BusyLoop } from './fixtures/busy-loop.js';
import { engineFactory } from './fixtures/engine.js';

/*
 * The machine is shared with other people's tests, so nothing here assumes
 * it is idle. Each test measures, independently of the sampler, how many
 * cores the whole machine used and how many of them were the run's own, and
 * checks that the sampler took the run's own share out of "others".
 */

const engines = engineFactory();
const loops: BusyLoop[] = [];
afterEach(() => {
  for (const loop of loops.splice(0)) loop.stop();
});

/** Machine-wide busy cores over a stretch, from /proc/stat as the test reads it. */
function machineWindow() {
  const before = machineTicks();
  const startedAt = performance.now();
  return () => {
    const after = machineTicks();
    const wallTicks = (after.total - before.total) / after.cpus;
    return { busyCores: (after.busy - before.busy) / wallTicks, wallMs: performance.now() - startedAt };
  };
}

test.runIf(process.platform === 'linux')(
  "the engine's own worker threads are the run's, not others'",
  async () => {
    const engine = await engines.open(await engines.tempDir());
    const machine = machineWindow();
    const cpuBefore = process.cpuUsage();
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 25 } },
        pool: { implementation: 'piscina', threads: 2, maxQueue: 10 },
        jobs: 200,
        concurrency: 2,
        sampleIntervalMs: 250,
      },
    });
    const record = await engine.runs.wait(runId)!;
    const cpu = process.cpuUsage(cpuBefore);
    const { busyCores, wallMs } = machine();
    expect(record.status, record.error?.message).toBe('completed');
    // This process with all its threads: the pool's two workers spinning, the engine's main thread.
    const ownCores = (cpu.user + cpu.system) / 1000 / wallMs;
    const othersCores = record.noise!.othersCores!;
    const context = `others ${othersCores.toFixed(2)}, own ${ownCores.toFixed(2)}, machine ${busyCores.toFixed(2)} cores`;
    expect(ownCores, context).toBeGreaterThan(0.5);
    // Had the workers counted as others, others would be the machine's whole busy time less the main thread.
    expect(othersCores, context).toBeLessThan(busyCores - ownCores / 2);
    // And it agrees with the test's own arithmetic (windows differ by the start and end of the run).
    expect(Math.abs(othersCores - Math.max(0, busyCores - ownCores)), context).toBeLessThan(0.4);
    if (busyCores - ownCores < 0.2) expect(othersCores, `nothing else ran: ${context}`).toBeLessThan(ownCores / 2);
  },
  60_000,
);

test.runIf(process.platform === 'linux')(
  'a child process the workbench started (with everything below it) is the run’s own',
  async () => {
    const series = new Map<string, { t: number[]; v: number[] }>();
    const startedAt = performance.now();
    const sink: RunSink = {
      elapsed: () => performance.now() - startedAt,
      declareSeries: (name) => void series.set(name, { t: [], v: [] }),
      sample: (name, value, t) => {
        series.get(name)!.t.push(t ?? sink.elapsed());
        series.get(name)!.v.push(value);
      },
      event: () => {},
      summary: () => {},
      observe: () => {},
      progress: () => {},
      log: () => {},
    };
    const loop = startChildBusyLoop();
    loops.push(loop);
    const childBefore = procTimes(loop.pid).ticks;
    const machine = machineWindow();
    const noise = new MachineNoiseRecorder(sink, { intervalMs: 500 });
    await sleep(2_500);
    const verdict = await noise.stop();
    const { busyCores, wallMs } = machine();
    const childCores = (procTimes(loop.pid).ticks - childBefore) / 100 / (wallMs / 1000);
    loop.stop();
    const context = `others ${verdict.othersCores?.toFixed(2)}, child ${childCores.toFixed(2)}, machine ${busyCores.toFixed(2)} cores`;
    expect(childCores, context).toBeGreaterThan(0.3);
    expect(series.get(NOISE_SERIES.othersCores)!.t.length).toBeGreaterThanOrEqual(4);
    expect(verdict.othersCores!, context).toBeLessThan(busyCores - childCores / 2);
    expect(Math.abs(verdict.othersCores! - Math.max(0, busyCores - childCores)), context).toBeLessThan(0.4);
  },
  30_000,
);
