import { promises as fs } from 'node:fs';
import { expect, test } from 'vitest';
import type { FunctionRow } from '../src/shared/runtime.js';
import { runMemoryScenario, sandboxOf } from './runtime-helpers.js';

test('a sampling heap profile puts the allocating code of the scenario on top', async () => {
  let profile: { path: string; totalBytes: number; top: FunctionRow[] } | undefined;
  const { result, cleanup } = await runMemoryScenario(
    { scenario: 'churn', durationSec: 30, rate: 20_000, objectSizeBytes: 1_024, probeIntervalMs: 500 },
    async (registry, runId) => {
      profile = await registry.allocationProfile(await sandboxOf(registry, runId), 1);
    },
  );
  try {
    expect(result.error).toBeUndefined();
    const json = JSON.parse(await fs.readFile(profile!.path, 'utf8'));
    expect(json.head.callFrame).toBeDefined();
    expect(profile!.totalBytes).toBeGreaterThan(0);
    // The scenario's allocation loop (JIT-inlined into its timer callback) dominates.
    expect(profile!.top[0]!.url).toMatch(/memory-sandbox\.js$/);
    expect(profile!.top[0]!.share).toBeGreaterThan(0.5);
    expect(result.artifacts!.map((artifact) => artifact.kind)).toEqual(['allocation-profile']);
  } finally {
    cleanup();
  }
});
