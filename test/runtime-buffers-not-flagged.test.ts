import { expect, test } from 'vitest';
import { quickLeakRule, runMemoryScenario } from './runtime-helpers.js';

test('large short-lived buffers raise external memory but are not flagged as a leak', async () => {
  const { result, record, cleanup } = await runMemoryScenario({
    scenario: 'buffers',
    durationSec: 10,
    rate: 200,
    objectSizeBytes: 1_048_576,
    retainMs: 50,
    maxOldSpaceMb: 128,
    probeIntervalMs: 500,
    leakRule: quickLeakRule,
  });
  try {
    expect(result.error).toBeUndefined();
    expect(result.summary['leak.flagged']!.value).toBe(0);
    // The memory lives outside the JS heap: arrayBuffers moves, the heap does not.
    expect(Math.max(...record.series.arrayBuffers!.v)).toBeGreaterThan(5);
    expect(result.summary.peakHeapUsed!.value).toBeLessThan(64);
  } finally {
    cleanup();
  }
});
