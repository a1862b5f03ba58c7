/**
 * Charts drawn as inline SVG text on the server side, so an exported report
 * needs no script, no network and prints as vector graphics.
 */
import { minMaxDownsample } from '../../../../shared/downsample.js';
import { forestPlotLayout, type ForestRow } from '../../../../shared/forest-plot.js';
import { formatNumber } from './format.js';
import { niceTicks } from '../../../../shared/nice-ticks.js';

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 40, right: 64, bottom: 34, left: 64 };
/** Points drawn per line: more than a printed page can show. */
const MAX_LINE_POINTS = 600;
export const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Scale {
  (value: number): number;
  ticks: number[];
}

function linearScale(min: number, max: number, from: number, to: number, nice = true): Scale {
  if (!(max > min)) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const ticks = niceTicks(min, max, 5);
  const lo = nice ? Math.min(min, ticks[0]!) : min;
  const hi = nice ? Math.max(max, ticks[ticks.length - 1]!) : max;
  const scale = ((value: number) => from + ((value - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = ticks;
  return scale;
}

function frame(title: string, body: string, ariaLabel: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(ariaLabel)}">` +
    `<text x="8" y="14" class="chart-title">${escapeXml(title)}</text>${body}</svg>`
  );
}

function axes(x: Scale, y: Scale, xLabel: string, yLabel: string, xFormat: (v: number) => string = formatNumber): string {
  const bottom = HEIGHT - MARGIN.bottom;
  const parts: string[] = [];
  for (const tick of y.ticks) {
    const py = y(tick).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" class="grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${py}" class="tick" text-anchor="end" dominant-baseline="middle">${escapeXml(formatNumber(tick))}</text>`);
  }
  for (const tick of x.ticks) {
    const px = x(tick);
    if (px < MARGIN.left - 0.5 || px > WIDTH - MARGIN.right + 0.5) continue;
    parts.push(`<text x="${px.toFixed(1)}" y="${bottom + 14}" class="tick" text-anchor="middle">${escapeXml(xFormat(tick))}</text>`);
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${bottom}" y2="${bottom}" class="axis"/>`);
  parts.push(`<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 4}" class="tick" text-anchor="end">${escapeXml(xLabel)}</text>`);
  parts.push(`<text x="12" y="${MARGIN.top - 8}" class="tick">${escapeXml(yLabel)}</text>`);
  return parts.join('');
}

export interface LineSeries {
  name: string;
  t: readonly number[];
  v: readonly number[];
}

/** A stretch of the time axis to shade (ms since the run started): when other processes kept the machine busy. */
export interface TimeBand {
  fromMs: number;
  toMs: number;
}

/** A time chart; every chart of one run gets the same [0, durationMs] axis so layers line up. Bands are shaded behind the lines. */
export function timeChartSvg(title: string, unit: string, lines: LineSeries[], durationMs: number, bands: readonly TimeBand[] = []): string {
  // Each bucket's min and max are kept, so spikes survive thinning.
  const thinned = lines.map((line) => ({ name: line.name, ...minMaxDownsample(line, MAX_LINE_POINTS) }));
  const values = thinned.flatMap((line) => line.v).filter(Number.isFinite);
  const x = linearScale(0, Math.max(1, durationMs) / 1000, MARGIN.left, WIDTH - MARGIN.right);
  const y = linearScale(Math.min(0, ...values), values.length ? Math.max(...values) : 1, HEIGHT - MARGIN.bottom, MARGIN.top);
  const paths = thinned.map((line, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (line.t.length === 1) {
      // A series with one sample (a run shorter than its sampling interval) is a dot, not an invisible line.
      return `<circle cx="${x(line.t[0]! / 1000).toFixed(1)}" cy="${y(line.v[0]!).toFixed(1)}" r="3" fill="${color}"/>`;
    }
    const d = line.t.map((t, j) => `${j ? 'L' : 'M'}${x(t / 1000).toFixed(1)},${y(line.v[j]!).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`;
  });
  const shaded = bands.map((band) => {
    const from = x(band.fromMs / 1000);
    const to = x(Math.min(band.toMs, Math.max(1, durationMs)) / 1000);
    const height = HEIGHT - MARGIN.top - MARGIN.bottom;
    return (
      `<rect x="${from.toFixed(1)}" y="${MARGIN.top}" width="${Math.max(1, to - from).toFixed(1)}" height="${height}" class="noise-band" fill="#f59e0b" fill-opacity="0.16">` +
      `<title>machine busy: other processes above the threshold</title></rect>`
    );
  });
  return frame(
    title,
    shaded.join('') +
      axes(x, y, 'time (s)', unit) +
      paths.join('') +
      legend(thinned.map((l) => l.name)) +
      (bands.length ? `<text x="${WIDTH - MARGIN.right}" y="${MARGIN.top - 8}" class="tick" text-anchor="end" fill="#b45309">shaded: machine busy</text>` : ''),
    `${title} over time`,
  );
}

export interface PointSeries {
  name: string;
  unit: string;
  points: Array<{ x: number; mean: number; low: number; high: number }>;
}

/**
 * A metric against a swept setting with error bars: the first series on the
 * left axis, an optional second (latency) on the right, so both read together.
 */
export function sweepChartSvg(
  title: string,
  xLabel: string,
  xValues: readonly string[],
  primary: PointSeries,
  secondary?: PointSeries,
  highlight?: number,
): string {
  const x = linearScale(-0.5, xValues.length - 0.5, MARGIN.left, WIDTH - MARGIN.right, false);
  x.ticks = xValues.map((_, i) => i);
  const yFor = (series: PointSeries) =>
    linearScale(Math.min(0, ...series.points.map((p) => p.low)), Math.max(...series.points.map((p) => p.high), 0) || 1, HEIGHT - MARGIN.bottom, MARGIN.top);
  const y1 = yFor(primary);
  const parts = [axes(x, y1, xLabel, `${primary.name} (${primary.unit})`, (v) => xValues[v] ?? '')];
  if (highlight !== undefined) {
    parts.push(`<rect x="${(x(highlight) - 14).toFixed(1)}" y="${MARGIN.top}" width="28" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" class="highlight"/>`);
  }
  parts.push(drawPoints(primary, x, y1, PALETTE[0]!));
  if (secondary && secondary.points.length) {
    const y2 = yFor(secondary);
    for (const tick of y2.ticks) {
      parts.push(`<text x="${WIDTH - MARGIN.right + 6}" y="${y2(tick).toFixed(1)}" class="tick" dominant-baseline="middle">${escapeXml(formatNumber(tick))}</text>`);
    }
    parts.push(`<text x="${WIDTH - 4}" y="${MARGIN.top - 8}" class="tick" text-anchor="end">${escapeXml(`${secondary.name} (${secondary.unit})`)}</text>`);
    parts.push(drawPoints(secondary, x, y2, PALETTE[1]!, true));
  }
  parts.push(legend([primary.name, ...(secondary ? [secondary.name] : [])]));
  return frame(title, parts.join(''), `${title}: ${primary.name} by ${xLabel}`);
}

function drawPoints(series: PointSeries, x: Scale, y: Scale, color: string, dashed = false): string {
  const line = series.points.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.mean).toFixed(1)}`).join('');
  const bars = series.points.map((p) => {
    const px = x(p.x).toFixed(1);
    return (
      `<line x1="${px}" x2="${px}" y1="${y(p.low).toFixed(1)}" y2="${y(p.high).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>` +
      `<line x1="${(x(p.x) - 4).toFixed(1)}" x2="${(x(p.x) + 4).toFixed(1)}" y1="${y(p.low).toFixed(1)}" y2="${y(p.low).toFixed(1)}" stroke="${color}"/>` +
      `<line x1="${(x(p.x) - 4).toFixed(1)}" x2="${(x(p.x) + 4).toFixed(1)}" y1="${y(p.high).toFixed(1)}" y2="${y(p.high).toFixed(1)}" stroke="${color}"/>` +
      `<circle cx="${px}" cy="${y(p.mean).toFixed(1)}" r="3.5" fill="${color}"/>`
    );
  });
  return `<path d="${line}" fill="none" stroke="${color}" stroke-width="1.5"${dashed ? ' stroke-dasharray="5 3"' : ''}/>${bars.join('')}`;
}

/** Relative change of each metric with its interval, around a zero line and the noise floor band. */
/** The forest plot of a comparison (the geometry is shared with the Compare page: shared/forest-plot.ts). */
export function forestPlotSvg(rows: readonly ForestRow[], noiseFloor: number): string {
  const layout = forestPlotLayout(rows, noiseFloor);
  const { floor, zero } = layout;
  const parts: string[] = [
    `<rect x="${floor.x.toFixed(1)}" y="${floor.y}" width="${floor.width.toFixed(1)}" height="${floor.height}" class="highlight"/>`,
    `<line x1="${zero.x.toFixed(1)}" x2="${zero.x.toFixed(1)}" y1="${zero.y1}" y2="${zero.y2}" class="axis"/>`,
  ];
  for (const row of layout.rows) {
    const color = row.worse ? PALETTE[1]! : PALETTE[0]!;
    parts.push(`<text x="${layout.labelX}" y="${row.cy}" class="tick" text-anchor="end" dominant-baseline="middle">${escapeXml(row.name)}</text>`);
    if (!row.hollow) parts.push(`<line x1="${row.x1.toFixed(1)}" x2="${row.x2.toFixed(1)}" y1="${row.cy}" y2="${row.cy}" stroke="${color}" stroke-width="2"/>`);
    for (const arrow of row.arrows) {
      parts.push(`<path d="M${arrow.x.toFixed(1)},${row.cy}l${-6 * arrow.direction},-4v8z" fill="${color}"/>`);
    }
    // Without an interval (single runs) the point is hollow, "no interval" beside it.
    parts.push(
      row.hollow
        ? `<circle cx="${row.cx.toFixed(1)}" cy="${row.cy}" r="3.5" fill="#fff" stroke="${color}" stroke-width="1.5"/>`
        : `<circle cx="${row.cx.toFixed(1)}" cy="${row.cy}" r="3.5" fill="${color}"/>`,
    );
    if (row.note) {
      parts.push(
        `<text x="${row.note.x.toFixed(1)}" y="${row.cy}" class="tick" text-anchor="${row.note.anchor}" dominant-baseline="middle">${escapeXml(row.note.text)}</text>`,
      );
    }
  }
  for (const tick of layout.ticks) {
    parts.push(`<text x="${tick.x.toFixed(1)}" y="${tick.y}" class="tick" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  }
  return (
    `<svg class="chart" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="Relative change of each metric with its confidence interval">` +
    `<text x="${layout.labelX + 8}" y="16" class="chart-title">Change versus baseline (95% CI; shaded: noise floor)</text>${parts.join('')}</svg>`
  );
}

function legend(names: string[]): string {
  if (names.length < 2) return '';
  return names
    .map((name, i) => {
      const x = WIDTH / 2 + i * 120;
      return `<rect x="${x}" y="9" width="10" height="3" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 14}" y="14" class="tick">${escapeXml(name)}</text>`;
    })
    .join('');
}
