import { describe, expect, test } from 'vitest';
import { NoiseVerdictSchema, NOISE_SERIES } from '../src/shared/noise.js';
import {
  busyBands,
  describeMachineShort,
  formatCores,
  noiseIntervalsFromSeries,
  noiseLine,
  noiseVerdict,
  type NoiseInterval,
} from '../src/shared/noise-verdict.js';

const interval = (durationMs: number, othersCores: number | null, extra: Partial<NoiseInterval> = {}): NoiseInterval => ({
  durationMs,
  othersCores,
  stealRatio: othersCores === null ? null : 0,
  loadAverage: 1,
  cpuPressure: null,
  ...extra,
});

describe('noiseVerdict', () => {
  test.each([
    { name: 'quiet under the threshold', intervals: [interval(1000, 0.05), interval(1000, 0.1)], threshold: 0.25, verdict: 'quiet', others: 0.075, max: 0.1 },
    { name: 'busy over it', intervals: [interval(1000, 0.7), interval(1000, 0.7)], threshold: 0.25, verdict: 'busy', others: 0.7, max: 0.7 },
    { name: 'exactly at the threshold is quiet', intervals: [interval(1000, 0.25)], threshold: 0.25, verdict: 'quiet', others: 0.25, max: 0.25 },
    { name: 'means are weighted by interval length', intervals: [interval(3000, 0), interval(1000, 1)], threshold: 0.2, verdict: 'busy', others: 0.25, max: 1 },
    { name: 'a short last interval counts little and is not the worst', intervals: [interval(1000, 0.1), interval(30, 2)], threshold: 0.25, verdict: 'quiet', others: (100 + 60) / 1030, max: 0.1 },
    { name: 'only short intervals: their worst', intervals: [interval(100, 0.1), interval(50, 0.4)], threshold: 0.25, verdict: 'quiet', others: (10 + 20) / 150, max: 0.4 },
    { name: 'a higher threshold', intervals: [interval(1000, 0.7)], threshold: 1, verdict: 'quiet', others: 0.7, max: 0.7 },
    { name: 'nothing measured (macOS: load only)', intervals: [interval(1000, null), interval(1000, null)], threshold: 0.25, verdict: 'unknown', others: null, max: null },
    { name: 'no interval at all', intervals: [], threshold: 0.25, verdict: 'unknown', others: null, max: null },
  ])('$name', ({ intervals, threshold, verdict, others, max }) => {
    const result = noiseVerdict(intervals, threshold);
    expect(NoiseVerdictSchema.parse(result)).toEqual(result);
    expect(result.verdict).toBe(verdict);
    if (others === null) expect(result.othersCores).toBeNull();
    else expect(result.othersCores).toBeCloseTo(others, 9);
    expect(result.othersCoresMax).toBe(max);
    expect(result.thresholdCores).toBe(threshold);
  });

  test('steal, load and pressure are weighted means of what was measured', () => {
    const result = noiseVerdict([
      interval(1000, 0.1, { stealRatio: 0.1, loadAverage: 2, cpuPressure: 0.2 }),
      interval(3000, 0.1, { stealRatio: 0.02, loadAverage: 1, cpuPressure: null }),
    ]);
    expect(result.stealRatio).toBeCloseTo(0.04, 9);
    expect(result.loadAverage).toBeCloseTo(1.25, 9);
    expect(result.cpuPressure).toBeCloseTo(0.2, 9);
  });

  test.each([
    { intervals: [interval(1000, 0.7)], summary: 'busy: others used 0.7 cores (threshold 0.25)' },
    { intervals: [interval(1000, 0.054)], summary: 'quiet: others used 0.05 cores (threshold 0.25)' },
    { intervals: [interval(1000, null, { loadAverage: 1.234 })], summary: "unknown: this system offers no way to measure other processes' CPU use; load average 1.23" },
    { intervals: [], summary: 'unknown: the run ended before the machine could be sampled' },
  ])('summary: $summary', ({ intervals, summary }) => {
    expect(noiseVerdict(intervals).summary).toBe(summary);
  });
});

test.each([
  { cores: 0.7, text: '0.7' },
  { cores: 0.054, text: '0.05' },
  { cores: 0, text: '0' },
  { cores: 1.999, text: '2' },
])('formatCores($cores)', ({ cores, text }) => {
  expect(formatCores(cores)).toBe(text);
});

test.each([
  {
    noise: noiseVerdict([interval(1000, 0.05, { stealRatio: 0, loadAverage: 1.2, cpuPressure: 0.03 })]),
    line: 'machine: quiet (others used 0.05 cores; worst second 0.05, steal 0%, load 1.2, CPU pressure 3%)',
  },
  {
    noise: noiseVerdict([interval(1000, 0.7, { stealRatio: null, loadAverage: null })]),
    line: 'machine: busy (others used 0.7 cores, over the 0.25 threshold; worst second 0.7)',
  },
  { noise: noiseVerdict([interval(1000, null, { loadAverage: null })]), line: "machine: unknown: this system offers no way to measure other processes' CPU use" },
  { noise: undefined, line: 'machine: not measured (recorded before Tunebench measured it)' },
])('noiseLine: $line', ({ noise, line }) => {
  expect(noiseLine(noise)).toBe(line);
});

test.each([
  { noise: noiseVerdict([interval(1000, 0.7)]), text: 'busy: others 0.7 cores' },
  { noise: noiseVerdict([interval(1000, 0.05)]), text: 'quiet: others 0.05 cores' },
  { noise: noiseVerdict([interval(1000, null)]), text: 'unknown' },
  { noise: undefined, text: 'not measured' },
])('describeMachineShort: $text', ({ noise, text }) => {
  expect(describeMachineShort(noise)).toBe(text);
});

describe('noiseIntervalsFromSeries', () => {
  test('each point closes the interval since the previous one (the first since the start)', () => {
    const series: Record<string, { t: number[]; v: number[] }> = {
      [NOISE_SERIES.othersCores]: { t: [1000, 2000, 2400], v: [0.1, 0.9, 0.2] },
      [NOISE_SERIES.steal]: { t: [1000, 2000, 2400], v: [0, 0.01, 0] },
      [NOISE_SERIES.loadAverage]: { t: [1000, 2000, 2400], v: [1, 2, 3] },
    };
    expect(noiseIntervalsFromSeries((name) => series[name])).toEqual([
      { durationMs: 1000, othersCores: 0.1, stealRatio: 0, loadAverage: 1, cpuPressure: null },
      { durationMs: 1000, othersCores: 0.9, stealRatio: 0.01, loadAverage: 2, cpuPressure: null },
      { durationMs: 400, othersCores: 0.2, stealRatio: 0, loadAverage: 3, cpuPressure: null },
    ]);
  });

  test('load alone (macOS) gives intervals without others', () => {
    const series: Record<string, { t: number[]; v: number[] }> = { [NOISE_SERIES.loadAverage]: { t: [1000, 2000], v: [1, 2] } };
    expect(noiseIntervalsFromSeries((name) => series[name]).map((i) => [i.durationMs, i.othersCores, i.loadAverage])).toEqual([
      [1000, null, 1],
      [1000, null, 2],
    ]);
    expect(noiseVerdict(noiseIntervalsFromSeries((name) => series[name])).verdict).toBe('unknown');
  });

  test('no noise series: no intervals', () => {
    expect(noiseIntervalsFromSeries(() => undefined)).toEqual([]);
  });
});

describe('busyBands', () => {
  test.each([
    { name: 'none busy', t: [1000, 2000], v: [0.1, 0.2], bands: [] },
    { name: 'one busy interval from the previous point', t: [1000, 2000, 3000], v: [0.1, 0.7, 0.1], bands: [{ fromMs: 1000, toMs: 2000, peakCores: 0.7 }] },
    { name: 'the first interval starts at 0', t: [1000, 2000], v: [0.5, 0.1], bands: [{ fromMs: 0, toMs: 1000, peakCores: 0.5 }] },
    {
      name: 'neighbours merge, gaps split',
      t: [1000, 2000, 3000, 4000, 5000],
      v: [0.3, 0.9, 0.1, 0.4, 0.6],
      bands: [
        { fromMs: 0, toMs: 2000, peakCores: 0.9 },
        { fromMs: 3000, toMs: 5000, peakCores: 0.6 },
      ],
    },
    { name: 'exactly at the threshold is not busy', t: [1000], v: [0.25], bands: [] },
  ])('$name', ({ t, v, bands }) => {
    expect(busyBands({ t, v }, 0.25)).toEqual(bands);
  });

  test('no series: no bands', () => {
    expect(busyBands(undefined)).toEqual([]);
  });
});
