import { expect, test } from 'vitest';
import { quickLeakRule, runMemoryScenario } from './runtime-helpers.js';

test('allocation churn with a flat live set is not flagged as a leak', async () => {
  // Objects live a second: they reach old space and die there, so major GCs
  // happen often and the detector has plenty of floor points to judge.
  const { result, cleanup } = await runMemoryScenario({
    scenario: 'churn',
    durationSec: 12,
    rate: 20_000,
    objectSizeBytes: 1_024,
    retainMs: 1_000,
    maxOldSpaceMb: 128,
    probeIntervalMs: 500,
    leakRule: quickLeakRule,
  });
  try {
    expect(result.error).toBeUndefined();
    expect(result.summary['gc.major.count']!.value).toBeGreaterThanOrEqual(quickLeakRule.minPoints);
    expect(result.summary['leak.points']!.value).toBeGreaterThanOrEqual(quickLeakRule.minPoints);
    expect(result.summary['leak.flagged']!.value).toBe(0);
    expect(result.summary['scenario.objects']!.value).toBeGreaterThan(100_000);
  } finally {
    cleanup();
  }
});
