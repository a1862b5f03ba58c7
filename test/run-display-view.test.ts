import { describe, expect, it } from 'vitest';
import { minMaxDownsample } from '../src/shared/downsample.js';
import { RunRecordSchema } from '../src/shared/run-record.js';
import { runDisplayView } from '../src/shared/run-view.js';
import { tinyRunRecord } from './fixtures/run-record.js';

function flatWithSpike(length: number, spikeAt: number, spike: number) {
  const t = Array.from({ length }, (_, i) => i * 10);
  const v = t.map(() => 5);
  v[spikeAt] = spike;
  return { t, v };
}

function recordWith(points: number, items: number) {
  const series = flatWithSpike(points, Math.floor(points / 3), 900);
  const dip = flatWithSpike(points, Math.floor(points / 2), -40);
  return {
    ...tinyRunRecord('view-run'),
    series: {
      eventLoopDelayMax: { unit: 'ms' as const, ...series },
      queueDepth: { unit: 'count' as const, ...dip },
      short: { unit: 'jobs/s' as const, t: [0, 250, 500], v: [1, 2, 3] },
    },
    distributions: { runMs: { unit: 'ms' as const, observed: items * 10, values: Array.from({ length: items }, (_, i) => i) } },
  };
}

describe('display view of a run record', () => {
  it('cuts every long series to at most the asked points and keeps its spikes, first and last points', () => {
    const record = recordWith(100_000, 10);
    const { run, display } = runDisplayView(record, { maxPointsPerSeries: 400 });

    for (const name of ['eventLoopDelayMax', 'queueDepth']) {
      const series = run.series[name]!;
      expect(series.t.length).toBeLessThanOrEqual(400);
      expect(series.v).toHaveLength(series.t.length);
      expect(series.t[0]).toBe(0);
      expect(series.t.at(-1)).toBe(999_990);
      for (let i = 1; i < series.t.length; i++) expect(series.t[i]!).toBeGreaterThan(series.t[i - 1]!);
    }
    expect(Math.max(...run.series.eventLoopDelayMax!.v)).toBe(900);
    expect(Math.min(...run.series.queueDepth!.v)).toBe(-40);
    expect(run.series.short).toEqual(record.series.short);
    expect(display).toEqual({
      maxPointsPerSeries: 400,
      cutSeries: { eventLoopDelayMax: 100_000, queueDepth: 100_000 },
      distributionValuesOmitted: true,
    });
  });

  it('leaves distribution values out unless asked, keeping how many were observed', () => {
    const record = recordWith(10, 1_000);
    expect(runDisplayView(record, { maxPointsPerSeries: 400 }).run.distributions.runMs).toEqual({ unit: 'ms', observed: 10_000, values: [] });
    const withValues = runDisplayView(record, { maxPointsPerSeries: 400, distributionValues: true });
    expect(withValues.run.distributions.runMs!.values).toHaveLength(1_000);
    expect(withValues.display.distributionValuesOmitted).toBe(false);
  });

  it('is still a valid run record and leaves the record it came from unchanged', () => {
    const record = recordWith(5_000, 100);
    const before = structuredClone(record);
    const { run } = runDisplayView(record, { maxPointsPerSeries: 50 });
    expect(RunRecordSchema.safeParse(run).success).toBe(true);
    expect(record).toEqual(before);
  });

  it('names what is wrong with bad options', () => {
    const record = recordWith(10, 0);
    expect(() => runDisplayView(record, { maxPointsPerSeries: 3 })).toThrow(/maxPointsPerSeries/);
    expect(() => minMaxDownsample({ t: [1, 2], v: [1] }, 10)).toThrow('min/max downsampling needs t and v of equal length (got 2 and 1)');
    expect(() => minMaxDownsample({ t: [], v: [] }, 2.5)).toThrow('min/max downsampling needs maxPoints to be an integer of at least 4 (got 2.5)');
  });
});
