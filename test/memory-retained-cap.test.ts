import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { MEMORY_SCENARIO_MAX_SHARE, plannedRetainedBytes, MemorySpecSchema } from '../src/shared/specs/memory.js';
import { startScenario } from '../src/workers/memory-sandbox/scenarios.js';
import { engineFactory } from './fixtures/engine.js';

const engines = engineFactory();
const MB = 1024 * 1024;

describe('memory scenarios hold at most their share of the machine', () => {
  it('estimates what each scenario holds at once', () => {
    const spec = (input: Record<string, unknown>) => MemorySpecSchema.parse({ kind: 'memory', ...input });
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ scenario: 'leak', rate: 50, durationSec: 20, objectSizeBytes: 1_000 }, 1_000_000],
      [{ scenario: 'leak', rate: 100_000, durationSec: 100, objectSizeBytes: 1_000, maxOldSpaceMb: 64 }, 64 * MB],
      [{ scenario: 'buffers', rate: 10, retainMs: 500, objectSizeBytes: 1 * MB, maxOldSpaceMb: 16 }, 5 * MB],
      [{ scenario: 'churn', rate: 1, retainMs: 1, objectSizeBytes: 100 }, 100],
      [{ scenario: 'oom-worker', workerHeapMb: 32 }, 64 * MB],
      [{ scenario: 'cpu-main' }, 0],
    ];
    for (const [input, bytes] of cases) expect(plannedRetainedBytes(spec(input)), JSON.stringify(input)).toBe(bytes);
  });

  it('refuses, before anything starts, a buffers scenario that would hold more than half the machine', async () => {
    const engine = await engines.open(await engines.tempDir());
    // 1,000 buffers of 256 MB alive at once: far beyond any machine, and outside the V8 heap, so no heap limit stops it.
    const spec = { kind: 'memory', scenario: 'buffers', rate: 1_000, objectSizeBytes: 268_435_456, retainMs: 1_000, durationSec: 20 };
    const envelope = await engine.dispatch('runs.start', { spec });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('TB_INVALID_SPEC');
    const capMb = Math.round(Math.floor(os.totalmem() * MEMORY_SCENARIO_MAX_SHARE) / MB);
    expect(envelope.error.message).toContain(`more than 50% of this machine's memory (${capMb} MB)`);
    expect(envelope.error.message).toContain('lower rate, objectSizeBytes or retainMs');
    expect(engine.runs.activeRuns()).toEqual([]);
    expect((await engine.call('runs.list', {})).runs).toEqual([]);
  });

  it('keeps to the cap inside the sandbox too, whatever the timers do: allocations beyond it are skipped and counted', async () => {
    const base = { type: 'sandbox.start' as const, durationSec: 1, rate: 2_000, objectSizeBytes: 1_024, workerHeapMb: 32, hogEvery: 10, taskMs: 1 };
    for (const scenario of ['churn', 'leak'] as const) {
      const run = startScenario({ ...base, scenario, retainMs: 60_000, maxRetainedBytes: 10 * 1_024 }, 1_024);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stats = run.stop();
      expect(stats.cappedAllocations, scenario).toBeGreaterThan(0);
      expect(scenario === 'leak' ? stats.retained : stats.peakAlive, scenario).toBeLessThanOrEqual(10);
    }
  });
});
