import { describe, expect, it } from 'vitest';
import { sweepChartRows } from '../src/renderer/studies/sweep-chart-rows.js';
import type { SweepAnalysis } from '../src/shared/studies.js';

type Point = SweepAnalysis['points'][number];
const stat = (mean: number, low: number, high: number) => ({ mean, low, high, n: 2 });
const point = (index: number, metrics: Point['metrics']): Point => ({ index, settings: { threads: index + 1 }, metrics });

interface Case {
  name: string;
  units: SweepAnalysis['units'];
  points: Point[];
  fromZero: { m: boolean; l: boolean };
  clipped: { m: boolean; l: boolean };
  /** Each row's [below, above] error bar of the objective, then of the latency. */
  errors: Array<[unknown, unknown]>;
}

const cases: Case[] = [
  {
    name: 'a throughput and a latency whose intervals reach below 0 are drawn from 0, their intervals cut there',
    units: { throughput: 'req/s', latencyP99: 'ms' },
    points: [
      point(0, { throughput: stat(500, -1_500, 2_500), latencyP99: stat(120, -500, 740) }),
      point(1, { throughput: stat(900, 700, 1_100), latencyP99: stat(80, 60, 100) }),
    ],
    fromZero: { m: true, l: true },
    clipped: { m: true, l: true },
    errors: [
      [[500, 2_000], [120, 620]],
      [[200, 200], [20, 20]],
    ],
  },
  {
    name: 'intervals above 0 are drawn as they are, still on axes from 0',
    units: { throughput: 'req/s', latencyP99: 'ms' },
    points: [point(0, { throughput: stat(500, 400, 600), latencyP99: stat(10, 8, 12) })],
    fromZero: { m: true, l: true },
    clipped: { m: false, l: false },
    errors: [[[100, 100], [2, 2]]],
  },
  {
    name: 'a metric that can be negative (heap growth) keeps its interval and an axis of its own',
    units: { heapGrowth: 'MB/min', latencyP99: 'ms' },
    points: [point(0, { heapGrowth: stat(2, -3, 7), latencyP99: stat(10, 8, 12) })],
    fromZero: { m: false, l: true },
    clipped: { m: false, l: false },
    errors: [[[5, 5], [2, 2]]],
  },
  {
    name: 'a negative mean (a delta) is not cut, whatever its unit',
    units: { throughput: 'req/s', latencyP99: 'ms' },
    points: [point(0, { throughput: stat(-5, -10, 0), latencyP99: stat(10, 8, 12) })],
    fromZero: { m: false, l: true },
    clipped: { m: false, l: false },
    errors: [[[5, 5], [2, 2]]],
  },
];

describe('a sweep chart draws a throughput or a latency from 0 and cuts its 95% interval there', () => {
  it.each(cases)('$name', ({ units, points, fromZero, clipped, errors }) => {
    const drawn = sweepChartRows(points, 'threads', { m: Object.keys(units)[0]!, l: Object.keys(units)[1]! }, units);
    expect(drawn.fromZero).toEqual(fromZero);
    expect(drawn.clipped).toEqual(clipped);
    expect(drawn.rows.map((row) => [row.mErr, row.lErr])).toEqual(errors);
    expect(drawn.rows.map((row) => row.x)).toEqual(points.map((p) => String(p.index + 1)));
  });

  it('marks the rows whose interval was cut, and gives the interval drawn for the tooltip', () => {
    const drawn = sweepChartRows(
      [point(0, { throughput: stat(500, -1_500, 2_500) }), point(1, { throughput: stat(900, 700, 1_100) })],
      'threads',
      { m: 'throughput', l: null },
      { throughput: 'req/s' },
    );
    expect(drawn.rows.map((row) => [row.mClipped, row.mInterval])).toEqual([
      [true, [0, 2_500]],
      [undefined, [700, 1_100]],
    ]);
    expect(drawn.fromZero.l).toBe(false);
  });
});
