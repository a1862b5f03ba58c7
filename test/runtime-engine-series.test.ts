import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { gcKinds, NOTABLE_GC_MS } from '../src/shared/runtime.js';
import { workersDir } from './fixtures/pools.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Allocates on the engine's main thread, retaining enough to push objects into old space, until stopped. */
function churnUntilStopped(): () => void {
  let retained: object[] = [];
  const timer = setInterval(() => {
    for (let i = 0; i < 20_000; i++) retained.push({ i, text: `item ${i}` });
    if (retained.length > 400_000) retained = retained.slice(200_000);
  }, 10);
  return () => {
    clearInterval(timer);
    retained = [];
  };
}

test("a pool run's record holds the engine process's runtime series and its notable GCs with their kinds", async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-engine-series-'));
  const engine = await Engine.create({ dataDir, workersDir, host: 'test', runtimeProbeIntervalMs: 100 });
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }), () => engine.dispose());

  const { runId } = await engine.call('runs.start', {
    spec: {
      kind: 'pool',
      task: { name: 'spin', params: { ms: 10 } },
      pool: { implementation: 'piscina', threads: 2, maxQueue: 100 },
      jobs: 300,
      concurrency: 4,
      sampleIntervalMs: 250,
    },
  });
  const stopChurn = churnUntilStopped();
  const record = await engine.runs.wait(runId)!.finally(stopChurn);
  expect(record.status, record.error?.message).toBe('completed');

  const names = [
    'engine.heapUsed', 'engine.heapTotal', 'engine.rss', 'engine.external', 'engine.arrayBuffers',
    'engine.heap.new', 'engine.heap.old', 'engine.heap.code', 'engine.heap.large',
    'engine.cpu',
    'engine.gc.minor', 'engine.gc.major', 'engine.gc.pauseMs',
  ];
  const heapUsed = record.series['engine.heapUsed']!;
  // 100 ms samples over a run of well over a second.
  expect(heapUsed.t.length).toBeGreaterThanOrEqual(5);
  for (const name of names) {
    const series = record.series[name];
    expect(series, name).toBeDefined();
    expect(series!.label, name).toMatch(/^workbench: /);
    expect(series!.t.length, name).toBe(heapUsed.t.length);
    // On the run's time axis: inside the run, in order.
    expect(series!.t[0]!, name).toBeGreaterThanOrEqual(0);
    expect(series!.t.at(-1)!, name).toBeLessThanOrEqual(record.durationMs + 50);
    expect([...series!.t].sort((a, b) => a - b), name).toEqual(series!.t);
    for (const value of series!.v) expect(Number.isFinite(value), name).toBe(true);
  }
  expect(record.series['engine.heapUsed']!.unit).toBe('MB');
  expect(Math.max(...record.series['engine.heap.old']!.v)).toBeGreaterThan(0);
  // The pool kind measures the main thread's event loop itself: recorded once, as its own series, and first.
  for (const name of ['eldP50', 'eldP99', 'eldMax', 'elu']) {
    expect(record.series[name]!.v.length, name).toBeGreaterThan(0);
    expect(record.series[`engine.${name}`], name).toBeUndefined();
  }
  expect(Object.keys(record.series).indexOf('throughput')).toBeLessThan(Object.keys(record.series).indexOf('engine.heapUsed'));

  // Minor GCs are per-interval pause totals; only majors and long pauses are timeline events.
  expect(record.series['engine.gc.minor']!.v.some((pausePerSecond) => pausePerSecond > 0)).toBe(true);
  const pauseTotal = record.series['engine.gc.pauseMs']!.v;
  const byKind = gcKinds.map((kind) => record.series[`engine.gc.${kind}`]!.v);
  pauseTotal.forEach((total, index) => expect(total).toBeCloseTo(byKind.reduce((sum, values) => sum + values[index]!, 0), 6));
  const gcEvents = record.events.filter((event) => event.type === 'gc');
  expect(gcEvents.some((event) => event.data?.kind === 'major')).toBe(true);
  for (const event of gcEvents) {
    expect(event.data?.process).toBe('engine');
    expect(gcKinds).toContain(event.data?.kind);
    const duration = Number(event.data?.duration);
    expect(event.data?.kind === 'major' || duration >= NOTABLE_GC_MS, event.message).toBe(true);
    expect(Number(event.data?.at)).toBeGreaterThanOrEqual(0);
    expect(Number(event.data?.at)).toBeLessThanOrEqual(record.durationMs + 50);
    expect(event.message).toMatch(/^engine: (minor|major|incremental|weakcb) GC \d+\.\d\d ms$/);
  }
  expect(gcEvents.filter((event) => event.data?.kind === 'major').every((event) => Number(event.data?.heapUsedAfterMb) > 0)).toBe(true);
});
