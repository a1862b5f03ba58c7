import { expect, test } from 'vitest';
import { runMemoryScenario } from './runtime-helpers.js';

test('a run that ends before the leak rule can decide says "undecided" and why, not "no leak"', async () => {
  // A hundred short-lived objects a second never reach old space: no major GC, no floor points.
  const { result, record, cleanup } = await runMemoryScenario({
    scenario: 'churn',
    durationSec: 6,
    rate: 100,
    objectSizeBytes: 1_024,
    probeIntervalMs: 500,
    leakRule: { warmupSec: 1, sustainSec: 4, minPoints: 4 },
  });
  try {
    expect(result.error).toBeUndefined();
    expect(result.summary['leak.flagged']!.value).toBe(0);
    expect(result.summary['leak.flagged']!.label).toMatch(
      /^leak verdict: undecided \(only \d major-GC points? after the 1 s warm-up, 4 needed; run longer, or give the process less heap \(maxOldSpaceMb\)/,
    );
    const last = record.events.filter((event) => event.type === 'leak').at(-1);
    expect(last?.message).toMatch(/^Leak verdict: undecided/);
    expect(last?.data?.status).toBe('undecided');
  } finally {
    cleanup();
  }
});
