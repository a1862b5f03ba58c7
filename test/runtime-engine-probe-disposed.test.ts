import { createHook } from 'node:async_hooks';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { workersDir } from './fixtures/pools.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Timers the runtime probe creates (by the function that creates them), and which of them are still alive. */
function watchProbeTimers() {
  const created = new Set<number>();
  const alive = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout' || !new Error().stack?.includes('startProbe')) return;
      created.add(id);
      alive.add(id);
    },
    destroy(id) {
      alive.delete(id);
    },
  }).enable();
  return { created, alive, stop: () => hook.disable() };
}

test('the engine probe of a run stops with the run: no timer left, nothing written after the record is saved', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-engine-probe-'));
  const timers = watchProbeTimers();
  const engine = await Engine.create({ dataDir, workersDir, host: 'test', runtimeProbeIntervalMs: 100 });
  try {
    let framesAfterEnd = 0;
    let ended = false;
    engine.onStream((stream) => {
      if (ended && stream === 'run.frame') framesAfterEnd += 1;
    });
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'spin', params: { ms: 5 } },
        pool: { implementation: 'simple', threads: 2, maxQueue: 100 },
        jobs: 100,
        concurrency: 4,
        sampleIntervalMs: 100,
      },
    });
    const record = await engine.runs.wait(runId)!;
    ended = true;
    expect(record.status, record.error?.message).toBe('completed');
    // A sampling and a flushing timer per run.
    expect(timers.created.size).toBeGreaterThanOrEqual(2);
    expect(timers.alive.size).toBe(0);

    // The record's arrays are the recorder's own: a probe still running would keep appending to them.
    const samplesAtEnd = record.series['engine.heapUsed']!.t.length;
    const eventsAtEnd = record.events.length;
    expect(samplesAtEnd).toBeGreaterThan(0);
    await sleep(450);
    expect(record.series['engine.heapUsed']!.t.length).toBe(samplesAtEnd);
    expect(record.events.length).toBe(eventsAtEnd);
    expect(framesAfterEnd).toBe(0);
  } finally {
    await engine.dispose();
    timers.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  expect(timers.alive.size).toBe(0);
});
