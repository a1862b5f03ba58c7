import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { expect, test } from 'vitest';
import type { ExperimentKindRunner } from '../src/main/engine/kinds/kind.js';
import { RunManager } from '../src/main/engine/run-manager.js';
import { RunStore } from '../src/main/engine/store.js';
import { workersDir } from './fixtures/pools.js';

/** A kind that measures nothing of the engine itself: it only keeps the main thread busy for a while. */
const busyKind: ExperimentKindRunner<{ kind: 'busy' }> = {
  kind: 'busy',
  specSchema: z.object({ kind: z.literal('busy') }),
  headline: [],
  defaultName: () => 'busy main thread',
  async run(_spec, sink) {
    sink.declareSeries('rounds', 'count', 'busy rounds');
    for (let round = 0; round < 8; round++) {
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // Block the loop, so its delay has something to show.
      }
      sink.sample('rounds', round);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    return { summary: {} };
  },
};

test("a kind that does not measure the engine's event loop gets it measured by the run's engine probe", async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-engine-loop-'));
  try {
    const store = new RunStore(dataDir);
    await store.open();
    const runs = new RunManager(new Map([['busy', busyKind]]), store, workersDir, 'test', () => {}, { runtimeProbeIntervalMs: 100 });
    const record = await runs.start({ kind: 'busy' }).done;
    expect(record.status, record.error?.message).toBe('completed');
    const p99 = record.series['engine.eldP99']!;
    expect(p99.unit).toBe('ms');
    expect(p99.t.length).toBeGreaterThanOrEqual(3);
    for (const name of ['engine.eldP50', 'engine.eldMax', 'engine.elu']) expect(record.series[name]!.t).toEqual(p99.t);
    // 30 ms blocks show as delay; the loop was busy a good part of the run.
    expect(Math.max(...record.series['engine.eldMax']!.v)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...record.series['engine.elu']!.v)).toBeGreaterThan(0.1);
    expect(Math.max(...record.series['engine.elu']!.v)).toBeLessThanOrEqual(1);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
});
