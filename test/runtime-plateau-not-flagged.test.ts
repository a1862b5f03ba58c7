import { expect, test } from 'vitest';
import { runMemoryScenario } from './runtime-helpers.js';

test('a live set that fills and then stays flat (a cache) is not flagged as a leak', async () => {
  // Each object lives 12 s: the live set grows for 12 s, then as many die as are made.
  const leakRule = { windowSec: 60, minGrowthMbPerMin: 1, minR2: 0.5, sustainSec: 6, minPoints: 3, warmupSec: 2 };
  const { result, record, cleanup } = await runMemoryScenario({
    scenario: 'churn',
    durationSec: 28,
    rate: 4_000,
    objectSizeBytes: 1_024,
    retainMs: 12_000,
    maxOldSpaceMb: 128,
    probeIntervalMs: 500,
    leakRule,
  });
  try {
    expect(result.error).toBeUndefined();
    expect(result.summary['leak.flagged']!.value).toBe(0);
    expect(result.summary['leak.flagged']!.label).toMatch(/^leak verdict: no-leak \(plateaued: /);
    // Growth over the whole window that slope and R² alone would have flagged; the latest third is what decides.
    expect(result.summary['leak.slopeMbPerMin']!.value).toBeGreaterThan(leakRule.minGrowthMbPerMin);
    expect(result.summary['leak.r2']!.value).toBeGreaterThanOrEqual(leakRule.minR2);
    const verdict = record.events.filter((event) => event.type === 'leak').at(-1)?.data;
    expect(Number(verdict?.recentSlopeMbPerMin)).toBeLessThan(Number(verdict?.slopeMbPerMin) / 3);
  } finally {
    cleanup();
  }
});
