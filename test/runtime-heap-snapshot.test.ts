import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { HeapDiffRow } from '../src/shared/runtime.js';
import { runMemoryScenario, sandboxOf } from './runtime-helpers.js';

test('a heap snapshot of a subject is valid JSON with snapshot meta, summarised and diffed by constructor', async () => {
  let first: { path: string; top: Array<{ name: string; count: number; selfSize: number }> } | undefined;
  let diff: HeapDiffRow[] | undefined;
  const { result, runDir, cleanup } = await runMemoryScenario(
    { scenario: 'leak', durationSec: 30, rate: 2_000, objectSizeBytes: 256, probeIntervalMs: 500 },
    async (registry, runId) => {
      const id = await sandboxOf(registry, runId);
      const taken = await registry.heapSnapshot(id);
      first = { path: taken.path, top: taken.summary.top };
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      diff = (await registry.heapSnapshot(id)).diff;
    },
  );
  try {
    expect(result.error).toBeUndefined();
    const json = JSON.parse(await fs.readFile(first!.path, 'utf8'));
    expect(json.snapshot.meta.node_fields).toContain('self_size');
    expect(json.nodes.length).toBeGreaterThan(0);
    expect(first!.top.length).toBe(20);
    // Files land in the run's folder and are listed as the run's artifacts.
    expect(result.artifacts!.map((artifact) => artifact.kind)).toEqual(['heap-snapshot', 'heap-snapshot']);
    expect(path.dirname(first!.path)).toBe(runDir);
    expect(first!.path.endsWith('.heapsnapshot')).toBe(true);
    // The leak keeps closures over arrays: they are what grew between the two snapshots.
    const grown = diff!.slice(0, 5).map((row) => row.name);
    expect(grown.some((name) => name === '(closure)' || name === '(array)' || name === 'Array')).toBe(true);
    expect(diff![0]!.sizeDelta).toBeGreaterThan(0);
  } finally {
    cleanup();
  }
});
