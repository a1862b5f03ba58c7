/**
 * The forest plot of a comparison — each metric's relative change with its
 * interval, the noise floor shaded — as geometry, so the HTML export (an SVG
 * string, engine/studies/report/svg.ts) and the Compare page (React) draw
 * the same picture from one computation.
 */
import type { Comparison } from './studies.js';
import { niceTicks } from './nice-ticks.js';

export interface ForestRow {
  /** The summary key (latencyP99). */
  metric: string;
  /** The row's name as the comparison table gives it: its runs' label, else the key. */
  name: string;
  /** Relative change (candidate / baseline − 1) and its interval; the interval null when there is none (single runs). */
  rel: number;
  low: number | null;
  high: number | null;
  worse: boolean;
}

/** A label longer than this drops its explanation in brackets to fit the plot's label column ("Throughput (answers …)" → "Throughput"). */
const LABEL_FIT = 34;

/** A row's name in the plot: the label the comparison table shows, its bracketed explanation dropped when it would not fit. */
export function forestLabel(row: { metric: string; label?: string | undefined }): string {
  const label = row.label ?? row.metric;
  if (label.length <= LABEL_FIT) return label;
  const short = label.replace(/\s*\([^)]*\)/g, '').trim();
  return short || label;
}

/**
 * The rows a comparison plots: those with a relative interval and a better
 * direction (counts such as completed jobs are the setup, not the outcome),
 * the verdict's objective and secondary metric first — those two even without
 * an interval (single runs), as a point alone.
 */
export function forestRows(comparison: Pick<Comparison, 'rows' | 'verdict'>): ForestRow[] {
  const first = [comparison.verdict?.objective, comparison.verdict?.secondary].filter((m): m is string => Boolean(m));
  const rank = (metric: string) => (first.includes(metric) ? first.indexOf(metric) : first.length);
  return comparison.rows
    .filter((row) => row.relDiff !== null && (first.includes(row.metric) || (row.relCi && row.better !== 'neither')))
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank(a.row.metric) - rank(b.row.metric) || a.index - b.index)
    .map(({ row }) => ({
      metric: row.metric,
      name: forestLabel(row),
      rel: row.relDiff!,
      low: row.relCi?.low ?? null,
      high: row.relCi?.high ?? null,
      worse: row.verdict === 'worse',
    }));
}

export const FOREST_WIDTH = 720;
const TOP = 40;
const BOTTOM = 34;
const ROW_HEIGHT = 20;
const LEFT = 220;
const RIGHT_PAD = 24;
/** A relative change of a measurement (a time, a rate, a count) cannot fall below −100%: the axis and intervals stop there. */
const LOWEST = -1;
/** The width of "no interval" at 11 px. */
const NOTE_WIDTH = 60;

export interface ForestLayout {
  width: number;
  height: number;
  /** The shaded noise floor band and the zero line. */
  floor: { x: number; y: number; width: number; height: number };
  zero: { x: number; y1: number; y2: number };
  labelX: number;
  rows: Array<{
    metric: string;
    name: string;
    cy: number;
    /** The interval's ends; both at the point when it has none. */
    x1: number;
    x2: number;
    cx: number;
    worse: boolean;
    /** No interval (single runs): the point is drawn hollow, "no interval" beside it. */
    hollow: boolean;
    note?: { x: number; text: string; anchor: 'start' | 'end' };
    /** Arrow tips where the interval runs off the plotted range (-1: left, 1: right). */
    arrows: Array<{ x: number; direction: -1 | 1 }>;
  }>;
  ticks: Array<{ x: number; label: string; y: number }>;
}

/** Where everything goes, for a plot 720 wide; percent ticks chosen to be round, none below −100%. */
export function forestPlotLayout(rows: readonly ForestRow[], noiseFloor: number): ForestLayout {
  const height = TOP + rows.length * ROW_HEIGHT + BOTTOM;
  // Scaled to the estimates, not the intervals: one very wide interval would flatten every other row.
  const extent = Math.max(noiseFloor * 3, ...rows.map((r) => Math.abs(r.rel) * 1.3), 0.01);
  const lowest = Math.max(LOWEST, -extent);
  const ticks = niceTicks(lowest * 100, extent * 100, 5).filter((tick) => tick >= LOWEST * 100);
  const lo = Math.max(LOWEST * 100, Math.min(lowest * 100, ticks[0]!));
  const hi = Math.max(extent * 100, ticks[ticks.length - 1]!);
  // The floor of the axis named when it is −100% and no tick is near it.
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : hi - lo;
  if (lo === LOWEST * 100 && ticks[0]! - lo > step * 0.4) ticks.unshift(lo);
  const x = (pct: number) => LEFT + ((pct - lo) / (hi - lo)) * (FOREST_WIDTH - RIGHT_PAD - LEFT);
  const clip = (ratio: number) => x(Math.max(lowest, Math.min(extent, ratio)) * 100);
  return {
    width: FOREST_WIDTH,
    height,
    floor: {
      x: clip(-noiseFloor),
      y: TOP - 6,
      width: clip(noiseFloor) - clip(-noiseFloor),
      height: rows.length * ROW_HEIGHT + 6,
    },
    zero: { x: x(0), y1: TOP - 6, y2: TOP + rows.length * ROW_HEIGHT },
    labelX: LEFT - 8,
    rows: rows.map((row, i) => {
      const cx = clip(row.rel);
      const interval = row.low !== null && row.high !== null;
      return {
        metric: row.metric,
        name: row.name,
        cy: TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2,
        x1: interval ? clip(row.low!) : cx,
        x2: interval ? clip(row.high!) : cx,
        cx,
        worse: row.worse,
        hollow: !interval,
        // Right of the point, or left of it near the plot's right edge.
        ...(interval ? {} : { note: cx + 8 + NOTE_WIDTH > FOREST_WIDTH ? { x: cx - 8, text: 'no interval', anchor: 'end' as const } : { x: cx + 8, text: 'no interval', anchor: 'start' as const } }),
        // An interval beyond −100% is cut there without an arrow: no change goes lower.
        arrows: interval
          ? ([[row.low!, -1], [row.high!, 1]] as const)
              .filter(([end, beyond]) => (beyond === 1 ? end > extent : end < lowest && lowest > LOWEST))
              .map(([end, direction]) => ({ x: clip(end), direction }))
          : [],
      };
    }),
    ticks: ticks.map((tick) => ({ x: x(tick), label: `${formatTick(tick)}%`, y: height - BOTTOM + 16 })),
  };
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}
