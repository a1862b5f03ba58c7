import { expect, test } from 'vitest';
import { gcKinds } from '../src/shared/runtime.js';
import { runMemoryScenario } from './runtime-helpers.js';

test('GC events arrive from a sandbox process with their kinds, durations and pause totals', async () => {
  const { result, record, cleanup } = await runMemoryScenario({
    scenario: 'churn',
    durationSec: 5,
    rate: 20_000,
    objectSizeBytes: 1_024,
    retainMs: 1_000,
    maxOldSpaceMb: 128,
    probeIntervalMs: 200,
    leakRule: { warmupSec: 0, sustainSec: 4 },
  });
  try {
    expect(result.error).toBeUndefined();
    const gcEvents = record.events.filter((event) => event.type === 'gc');
    const kinds = new Set(gcEvents.map((event) => event.data?.kind));
    expect(kinds.has('minor')).toBe(true);
    expect(kinds.has('major')).toBe(true);
    for (const event of gcEvents) {
      expect(gcKinds).toContain(event.data?.kind);
      expect(event.data?.duration).toBeGreaterThanOrEqual(0);
      expect(event.data?.at).toBeGreaterThanOrEqual(0);
    }
    // Majors carry the live-set floor the leak detector fits.
    expect(gcEvents.filter((event) => event.data?.kind === 'major').every((event) => Number(event.data?.heapUsedAfterMb) > 0)).toBe(true);
    // Per-interval totals agree with the events.
    expect(result.summary['gc.minor.count']!.value).toBe(gcEvents.filter((event) => event.data?.kind === 'minor').length);
    expect(record.series['gc.minor']!.v.some((pausePerSecond) => pausePerSecond > 0)).toBe(true);
    expect(record.series['heap.old']!.v.length).toBeGreaterThan(10);
    expect(record.series.eldP99!.v.length).toBe(record.series.heapUsed!.v.length);
  } finally {
    cleanup();
  }
});
