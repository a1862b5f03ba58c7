import { expect, test } from 'vitest';
import { noiseBlocksVerdict } from '../src/main/engine/studies/noise-gate.js';
import type { NoiseVerdict } from '../src/shared/noise.js';
import { noiseVerdict } from '../src/shared/noise-verdict.js';

/** A run on which others used this many cores (null: unknown, e.g. macOS; undefined: recorded before noise was measured). */
const run = (id: string, othersCores: number | null | undefined): { id: string; noise?: NoiseVerdict } =>
  othersCores === undefined
    ? { id }
    : { id, noise: noiseVerdict([{ durationMs: 1000, othersCores, stealRatio: null, loadAverage: null, cpuPressure: null }]) };

test.each([
  {
    name: 'both quiet',
    baseline: [run('a', 0.05)],
    candidate: [run('b', 0.1)],
    threshold: 0.25,
    blocked: false,
    reason: 'the machine was quiet (others used at most 0.1 cores; threshold 0.25)',
  },
  {
    name: 'a busy candidate',
    baseline: [run('a', 0.05)],
    candidate: [run('b', 0.7)],
    threshold: 0.25,
    blocked: true,
    reason: 'inconclusive: the machine was busy (others used 0.7 cores during the candidate; threshold 0.25 cores)',
  },
  {
    name: 'a busy baseline',
    baseline: [run('a', 1.2)],
    candidate: [run('b', 0)],
    threshold: 0.25,
    blocked: true,
    reason: 'inconclusive: the machine was busy (others used 1.2 cores during the baseline; threshold 0.25 cores)',
  },
  {
    name: 'both busy',
    baseline: [run('a', 0.4)],
    candidate: [run('b', 0.7)],
    threshold: 0.25,
    blocked: true,
    reason: 'inconclusive: the machine was busy (others used 0.4 cores during the baseline and 0.7 during the candidate; threshold 0.25 cores)',
  },
  {
    name: 'one busy repeat blocks its side and is named',
    baseline: [run('a1', 0.01), run('a2', 0.02), run('a3', 0.03)],
    candidate: [run('b1', 0.02), run('b2', 0.9), run('b3', 0.3), run('b4', 0.1)],
    threshold: 0.25,
    blocked: true,
    reason: 'inconclusive: the machine was busy (others used 0.9 cores during the candidate (run b2; 2 of 4 runs busy); threshold 0.25 cores)',
  },
  {
    name: 'the threshold given here decides, not the one recorded',
    baseline: [run('a', 0.05)],
    candidate: [run('b', 0.7)],
    threshold: 1,
    blocked: false,
    reason: 'the machine was quiet (others used at most 0.7 cores; threshold 1)',
  },
  {
    name: 'exactly at the threshold is quiet',
    baseline: [run('a', 0.25)],
    candidate: [run('b', 0.25)],
    threshold: 0.25,
    blocked: false,
    reason: 'the machine was quiet (others used at most 0.25 cores; threshold 0.25)',
  },
  {
    name: 'unknown noise does not block, and says so',
    baseline: [run('a', null)],
    candidate: [run('b', 0.1), run('c', undefined)],
    threshold: 0.25,
    blocked: false,
    reason: 'the machine was quiet (others used at most 0.1 cores; threshold 0.25); noise unknown for 2 of 3 runs',
  },
  {
    name: 'nothing measured anywhere',
    baseline: [run('a', undefined)],
    candidate: [run('b', null)],
    threshold: 0.25,
    blocked: false,
    reason: "the machine's noise is unknown for every run (recorded before Tunebench measured it, or not on Linux)",
  },
  {
    name: 'a busy side blocks even when the other is unknown',
    baseline: [run('a', undefined)],
    candidate: [run('b', 0.5)],
    threshold: 0.25,
    blocked: true,
    reason: 'inconclusive: the machine was busy (others used 0.5 cores during the candidate; threshold 0.25 cores)',
  },
])('$name', ({ baseline, candidate, threshold, blocked, reason }) => {
  expect(noiseBlocksVerdict(baseline, candidate, threshold)).toEqual({ blocked, reason });
});

test('the default threshold is the record default (0.25 cores)', () => {
  expect(noiseBlocksVerdict([run('a', 0.3)], [run('b', 0)]).blocked).toBe(true);
  expect(noiseBlocksVerdict([run('a', 0.2)], [run('b', 0)]).blocked).toBe(false);
});

test.each([Number.NaN, -0.1, Number.POSITIVE_INFINITY])('a threshold of %s is refused', (threshold) => {
  expect(() => noiseBlocksVerdict([run('a', 0)], [run('b', 0)], threshold)).toThrow(/TB_OPTION_OUT_OF_RANGE|threshold/);
});
