import { expect, test } from 'vitest';
import { quickLeakRule, runMemoryScenario } from './runtime-helpers.js';

test('a steady leak in a sandbox process is flagged within its window', async () => {
  const { result, record, cleanup } = await runMemoryScenario({
    scenario: 'leak',
    durationSec: 15,
    rate: 4_000,
    objectSizeBytes: 1_024,
    maxOldSpaceMb: 128,
    probeIntervalMs: 500,
    leakRule: quickLeakRule,
  });
  try {
    expect(result.error).toBeUndefined();
    expect(result.summary['leak.flagged']?.value).toBe(1);
    // About 3 MB/s of retained objects: well over the 1 MB/min threshold.
    expect(result.summary['leak.slopeMbPerMin']!.value).toBeGreaterThan(60);
    expect(result.summary['leak.r2']!.value).toBeGreaterThan(0.8);
    const verdicts = record.events.filter((event) => event.type === 'leak');
    expect(verdicts.at(-1)?.message).toMatch(/possible-leak/);
    // Flagged from the trend, inside the scenario's window, not at its end: counted from the scenario's start, since a busy
    // machine may start the sandbox late.
    const scenarioStart = record.events.find((event) => event.type === 'scenario')!.t;
    expect(verdicts.at(-1)!.t - scenarioStart).toBeLessThanOrEqual(15_000);
    expect(record.series['leak.floor']!.v.length).toBeGreaterThanOrEqual(3);
  } finally {
    cleanup();
  }
});
