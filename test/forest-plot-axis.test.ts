import { describe, expect, it } from 'vitest';
import { forestPlotLayout, type ForestRow } from '../src/shared/forest-plot.js';

const row = (metric: string, rel: number, low: number | null, high: number | null): ForestRow => ({ metric, name: metric, rel, low, high, worse: false });
const percents = (labels: string[]) => labels.map((label) => Number(label.replace(/[%,]/g, '')));

describe('the forest plot\'s axis stops at −100%, and a point without an interval is hollow', () => {
  it.each([
    { name: 'a fall of 95% with an interval to −250%', rows: [row('throughput', -0.95, -2.5, 0.6)], lowest: -100 },
    { name: 'a rise of 200% and a fall of 80%', rows: [row('a', 2, 1.5, 2.5), row('b', -0.8, -1.2, -0.4)], lowest: -100 },
    { name: 'small changes keep a symmetric axis', rows: [row('a', 0.04, 0.01, 0.07)], lowest: -20 },
  ])('$name', ({ rows, lowest }) => {
    const layout = forestPlotLayout(rows, 0.05);
    const ticks = percents(layout.ticks.map((tick) => tick.label));
    expect(Math.min(...ticks)).toBe(lowest);
    // Nothing drawn left of the lowest tick: no interval, point or shading goes below −100%.
    const left = layout.ticks[0]!.x;
    for (const drawn of layout.rows) expect(Math.min(drawn.x1, drawn.cx)).toBeGreaterThanOrEqual(left - 1e-9);
    expect(layout.floor.x).toBeGreaterThanOrEqual(left - 1e-9);
  });

  it('cuts an interval at −100% without an arrow, and keeps the arrow where it runs off the right', () => {
    const layout = forestPlotLayout([row('throughput', -0.9, -3, 9)], 0.05);
    const [drawn] = layout.rows;
    expect(drawn!.x1).toBeCloseTo(layout.ticks[0]!.x);
    expect(drawn!.arrows.map((arrow) => arrow.direction)).toEqual([1]);
  });

  it('keeps the left arrow when the axis ends above −100%', () => {
    const layout = forestPlotLayout([row('a', 0.1, -0.5, 0.15)], 0.05);
    expect(layout.rows[0]!.arrows.map((arrow) => arrow.direction)).toEqual([-1]);
  });

  it('draws a point without an interval hollow, its interval collapsed on it, "no interval" beside it', () => {
    const layout = forestPlotLayout([row('throughput', -0.4, null, null), row('latencyP99', 0.2, 0.1, 0.3)], 0.05);
    const [alone, withInterval] = layout.rows;
    expect(alone).toMatchObject({ metric: 'throughput', hollow: true, arrows: [], note: { text: 'no interval', anchor: 'start' } });
    expect(alone!.x1).toBe(alone!.cx);
    expect(alone!.x2).toBe(alone!.cx);
    expect(alone!.note!.x).toBeGreaterThan(alone!.cx);
    expect(withInterval).toMatchObject({ hollow: false });
    expect(withInterval!.note).toBeUndefined();
  });

  it('puts "no interval" left of a point at the right edge', () => {
    const layout = forestPlotLayout([row('throughput', 0.5, null, null)], 0.05);
    expect(layout.rows[0]!.note).toMatchObject({ anchor: 'end' });
    expect(layout.rows[0]!.note!.x).toBeLessThan(layout.rows[0]!.cx);
  });
});
