/**
 * The forest plot of a comparison — each metric's relative change with its
 * interval, the noise floor shaded — as geometry, so the HTML export (an SVG
 * string, engine/studies/report/svg.ts) and the Compare page (React) draw
 * the same picture from one computation.
 */
import type { Comparison } from './studies.js';

export interface ForestRow {
  name: string;
  /** Relative change (candidate / baseline − 1) and its interval. */
  rel: number;
  low: number;
  high: number;
  worse: boolean;
}

/**
 * The rows a comparison plots: those with a relative interval and a better
 * direction (counts such as completed jobs are the setup, not the outcome),
 * the verdict's objective and secondary metric first.
 */
export function forestRows(comparison: Pick<Comparison, 'rows' | 'verdict'>): ForestRow[] {
  const first = [comparison.verdict?.objective, comparison.verdict?.secondary].filter((m): m is string => Boolean(m));
  const rank = (metric: string) => (first.includes(metric) ? first.indexOf(metric) : first.length);
  return comparison.rows
    .filter((row) => row.relCi && row.relDiff !== null && (row.better !== 'neither' || first.includes(row.metric)))
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank(a.row.metric) - rank(b.row.metric) || a.index - b.index)
    .map(({ row }) => ({ name: row.metric, rel: row.relDiff!, low: row.relCi!.low, high: row.relCi!.high, worse: row.verdict === 'worse' }));
}

export const FOREST_WIDTH = 720;
const TOP = 40;
const BOTTOM = 34;
const ROW_HEIGHT = 20;
const LEFT = 220;
const RIGHT_PAD = 24;

export interface ForestLayout {
  width: number;
  height: number;
  /** The shaded noise floor band and the zero line. */
  floor: { x: number; y: number; width: number; height: number };
  zero: { x: number; y1: number; y2: number };
  labelX: number;
  rows: Array<{
    name: string;
    cy: number;
    x1: number;
    x2: number;
    cx: number;
    worse: boolean;
    /** Arrow tips where the interval runs off the plotted range (-1: left, 1: right). */
    arrows: Array<{ x: number; direction: -1 | 1 }>;
  }>;
  ticks: Array<{ x: number; label: string; y: number }>;
}

/** Where everything goes, for a plot 720 wide; percent ticks chosen to be round. */
export function forestPlotLayout(rows: readonly ForestRow[], noiseFloor: number): ForestLayout {
  const height = TOP + rows.length * ROW_HEIGHT + BOTTOM;
  // Scaled to the estimates, not the intervals: one very wide interval would flatten every other row.
  const extent = Math.max(noiseFloor * 3, ...rows.map((r) => Math.abs(r.rel) * 1.3), 0.01);
  const ticks = niceTicks(-extent * 100, extent * 100, 5);
  const lo = Math.min(-extent * 100, ticks[0]!);
  const hi = Math.max(extent * 100, ticks[ticks.length - 1]!);
  const x = (pct: number) => LEFT + ((pct - lo) / (hi - lo)) * (FOREST_WIDTH - RIGHT_PAD - LEFT);
  const clip = (ratio: number) => x(Math.max(-extent, Math.min(extent, ratio)) * 100);
  return {
    width: FOREST_WIDTH,
    height,
    floor: { x: x(-noiseFloor * 100), y: TOP - 6, width: x(noiseFloor * 100) - x(-noiseFloor * 100), height: rows.length * ROW_HEIGHT + 6 },
    zero: { x: x(0), y1: TOP - 6, y2: TOP + rows.length * ROW_HEIGHT },
    labelX: LEFT - 8,
    rows: rows.map((row, i) => ({
      name: row.name,
      cy: TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2,
      x1: clip(row.low),
      x2: clip(row.high),
      cx: x(row.rel * 100),
      worse: row.worse,
      arrows: ([[row.low, -1], [row.high, 1]] as const)
        .filter(([end, beyond]) => Math.abs(end) > extent && Math.sign(end) === beyond)
        .map(([end, direction]) => ({ x: clip(end), direction })),
    })),
    ticks: ticks.map((tick) => ({ x: x(tick), label: `${formatTick(tick)}%`, y: height - BOTTOM + 16 })),
  };
}

function niceTicks(min: number, max: number, count: number): number[] {
  const rawStep = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick <= max + step * 0.5; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}
