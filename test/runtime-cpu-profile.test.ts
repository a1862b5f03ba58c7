import { promises as fs } from 'node:fs';
import { expect, test } from 'vitest';
import type { FunctionRow } from '../src/shared/runtime.js';
import { runMemoryScenario, sandboxOf } from './runtime-helpers.js';

test('a CPU profile of a subject has nodes and samples and a top-functions table', async () => {
  let profile: { path: string; samples: number; top: FunctionRow[] } | undefined;
  const { result, cleanup } = await runMemoryScenario(
    { scenario: 'churn', durationSec: 30, rate: 20_000, objectSizeBytes: 512, probeIntervalMs: 500 },
    async (registry, runId) => {
      profile = await registry.cpuProfile(await sandboxOf(registry, runId), 1);
    },
  );
  try {
    expect(result.error).toBeUndefined();
    const json = JSON.parse(await fs.readFile(profile!.path, 'utf8'));
    expect(json.nodes.length).toBeGreaterThan(0);
    expect(json.samples.length).toBeGreaterThan(0);
    expect(profile!.samples).toBe(json.samples.length);
    expect(profile!.top.length).toBeGreaterThan(0);
    expect(profile!.top[0]!.self).toBeGreaterThanOrEqual(profile!.top.at(-1)!.self);
    expect(result.artifacts!.map((artifact) => artifact.kind)).toEqual(['cpu-profile']);
  } finally {
    cleanup();
  }
});
