import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProbeSeriesWriter } from '../src/main/engine/runtime/probe-writer.js';
import type { RunSink } from '../src/main/engine/kinds/kind.js';
import { runtimeProcesses, runtimeCharts } from '../src/renderer/runtime/runtime-charts.js';
import { workerSlots } from '../src/renderer/load/load-charts.js';
import { RecordSeriesSource } from '../src/renderer/runs/series-source.js';
import type { Series } from '../src/shared/metrics.js';
import { gcKinds, heapSpaceGroups, type ProbeBatch } from '../src/shared/runtime.js';
import {
  ENGINE_PROCESS,
  gcPauseMetric,
  heapSpaceMetric,
  NOISE_SERIES,
  parseProcessName,
  parseSeriesName,
  processName,
  runtimeSeriesName,
  SUBJECT_PROCESS,
  workerMetrics,
  workerProcess,
  workerSeriesName,
  type RuntimeMetric,
  type RuntimeProcessRef,
} from '../src/shared/series-names.js';

const runtimeMetrics: RuntimeMetric[] = [
  'heapUsed',
  'heapTotal',
  'rss',
  'external',
  'arrayBuffers',
  'eldP50',
  'eldP99',
  'eldMax',
  'elu',
  'cpu',
  'gc.pauseMs',
  'leak.floor',
  ...heapSpaceGroups.map(heapSpaceMetric),
  ...gcKinds.map(gcPauseMetric),
];
const processes = fc.oneof(
  fc.constant(SUBJECT_PROCESS),
  fc.constant(ENGINE_PROCESS),
  fc.nat(63).map((slot) => workerProcess(slot)),
);

describe('series names', () => {
  it('are the names the engine has always recorded', () => {
    expect(workerSeriesName(2, 'rps')).toBe('worker.2.rps');
    expect(runtimeSeriesName(ENGINE_PROCESS, 'heapUsed')).toBe('engine.heapUsed');
    expect(runtimeSeriesName(workerProcess(3), heapSpaceMetric('old'))).toBe('worker.3.heap.old');
    expect(runtimeSeriesName(SUBJECT_PROCESS, gcPauseMetric('major'))).toBe('gc.major');
    expect(processName(workerProcess(1))).toBe('worker.1');
    expect(processName(SUBJECT_PROCESS)).toBeUndefined();
  });

  it('parse back to what built them', () => {
    fc.assert(
      fc.property(processes, fc.constantFrom(...runtimeMetrics), (process, metric) => {
        const parsed = parseSeriesName(runtimeSeriesName(process, metric));
        // A worker's CPU is what its supervisor reports, under the same name.
        if (process.type === 'worker' && metric === 'cpu') expect(parsed).toEqual({ type: 'worker', slot: process.slot, metric: 'cpu' });
        else expect(parsed).toEqual({ type: 'runtime', process, metric });
      }),
    );
    fc.assert(
      fc.property(fc.nat(1000), fc.constantFrom(...workerMetrics, 'share' as const, 'requests' as const, 'restarts' as const), (slot, metric) => {
        expect(parseSeriesName(workerSeriesName(slot, metric))).toEqual({ type: 'worker', slot, metric });
      }),
    );
    fc.assert(
      fc.property(processes, (process: RuntimeProcessRef) => {
        expect(parseProcessName(processName(process))).toEqual(process);
      }),
    );
    for (const [metric, name] of Object.entries(NOISE_SERIES)) expect(parseSeriesName(name)).toEqual({ type: 'noise', metric });
  });

  it("leave a kind's own series and unknown names alone", () => {
    for (const name of ['throughput', 'latency.p99', 'errors.timeout', 'engine.nonsense', 'worker.x.rps', 'worker.2.nonsense', 'queueDepth']) {
      expect(parseSeriesName(name)).toEqual({ type: 'other', name });
    }
    expect(parseProcessName('supervisor')).toBeUndefined();
  });

  it('are what the probe writer records and what the renderer finds processes and worker lines by', () => {
    const declared = new Map<string, Series>();
    const sink: RunSink = {
      elapsed: () => 0,
      declareSeries: (name, unit) => void declared.set(name, { unit, t: [], v: [] }),
      sample: (name, value, t = 0) => {
        declared.get(name)!.t.push(t);
        declared.get(name)!.v.push(value);
      },
      event: () => {},
      summary: () => {},
      observe: () => {},
      progress: () => {},
      log: () => {},
    };
    const sample = {
      t: Date.now(),
      intervalMs: 1000,
      rss: 1,
      heapTotal: 1,
      heapUsed: 1,
      heapLimit: 1,
      external: 1,
      arrayBuffers: 1,
      spaces: { old: 1 },
      eld: { p50: 1, p99: 1, max: 1, mean: 1 },
      elu: 0.5,
      cpuUser: 1,
      cpuSystem: 1,
      gc: {},
    };
    const batch: ProbeBatch = { type: 'tunebench:probe', pid: 1, threadId: 0, seq: 1, samples: [sample], gc: [], dropped: { samples: 0, gc: 0 } };
    new ProbeSeriesWriter(sink, { process: ENGINE_PROCESS, epochNow: Date.now }).write(batch);
    new ProbeSeriesWriter(sink, { process: workerProcess(1), include: (metric) => metric !== 'heapUsed' && metric !== 'cpu', epochNow: Date.now }).write(batch);
    for (const slot of [1, 0]) {
      for (const metric of workerMetrics) declared.set(workerSeriesName(slot, metric), { unit: 'count', t: [0], v: [1] });
    }
    const source = new RecordSeriesSource({ series: Object.fromEntries(declared) });

    expect(runtimeProcesses(source, 'load').map(({ key, label }) => [key, label])).toEqual([
      ['worker.0.', 'Test server, worker 0'],
      ['worker.1.', 'Test server, worker 1'],
      ['engine.', 'Engine (this workbench)'],
    ]);
    expect(workerSlots(source)).toEqual([0, 1]);
    // Every line of a process's charts names a series the writer recorded, or one the renderer derives.
    const recorded = new Set(declared.keys());
    const engineLines = runtimeCharts(ENGINE_PROCESS).flatMap((chart) => chart.lines.map((line) => line.series));
    expect(engineLines.filter((name) => parseSeriesName(name).type === 'runtime' && !recorded.has(name))).toEqual(['engine.leak.floor']);
  });
});
