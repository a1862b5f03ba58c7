import { memo, startTransition, useEffect, useRef, useState } from 'react';
import type { Disposer } from '../../shared/contract.js';
import type { Unit } from '../../shared/metrics.js';
import { displayUnit, displayValue, humanize } from '../format.js';
import type { SeriesSource } from '../runs/series-source.js';
import { chartAccessibleName, type ChartBand, type ChartDefinition, type ChartHighlight, type ChartMarker } from './chart-definition.js';
import { useFirstVisit } from './chart-parts.js';
import { preload } from './preload.js';
import { downsample } from './downsample.js';
import { chartRedraws } from './redraw-queue.js';

const palette = ['#1f5fbf', '#d9822b', '#2e8540', '#b3261e', '#6b4fbb', '#0f8b8d'];
/**
 * Percentile lines often coincide (p95 = p99 when an interval holds few
 * jobs); dashing the later ones keeps the hidden line visible beneath.
 */
const dashes = [undefined, undefined, '5 3', '2 2'];

export interface PreparedLine {
  key: string;
  name: string;
  color: string;
  dash: string | undefined;
  dots: boolean;
  /** A line of one point draws nothing; it gets a dot (a run shorter than its sampling interval). */
  single: boolean;
}

export type Row = Record<string, number>;

/**
 * Lines that share a chart are usually sampled together, so their points are
 * merged into one row per timestamp; that lets the tooltip show every line at
 * the hovered time.
 */
function prepare(source: SeriesSource, definition: ChartDefinition): { lines: PreparedLine[]; rows: Row[]; unit: Unit | undefined } {
  const lines: PreparedLine[] = [];
  const rowsByTime = new Map<number, Row>();
  let unit: Unit | undefined;
  definition.lines.forEach((line, index) => {
    const series = source.series(line.series);
    if (!series || series.t.length === 0) return;
    unit ??= series.unit;
    const key = `s${index}`;
    lines.push({
      key,
      name: line.label ?? series.label ?? humanize(line.series),
      color: palette[index % palette.length]!,
      dash: dashes[index % dashes.length],
      dots: line.style === 'dots',
      single: series.t.length === 1,
    });
    const points = downsample(series);
    for (let i = 0; i < points.t.length; i++) {
      const x = points.t[i]! / 1000;
      let row = rowsByTime.get(x);
      if (!row) {
        row = { x };
        rowsByTime.set(x, row);
      }
      row[key] = displayValue(points.v[i]!, series.unit);
    }
  });
  const rows = [...rowsByTime.values()].sort((a, b) => a.x! - b.x!);
  return { lines, rows, unit };
}

const noMarkers: readonly ChartMarker[] = [];
const noBands: readonly ChartBand[] = [];

const markerStyles = {
  failure: { stroke: '#b3261e', dash: '4 3', label: { position: 'insideTopLeft', fontSize: 10, fill: '#b3261e' } },
  action: { stroke: '#8a5a00', dash: '1 3', label: { position: 'insideBottomLeft', fontSize: 10, fill: '#8a5a00' } },
  warmup: { stroke: '#5f6b7a', dash: undefined, label: { position: 'insideTop', fontSize: 10, fill: '#5f6b7a' } },
} as const;

/** A live chart redraws at most this often; the page's numbers (summary, progress) update faster. */
export const LIVE_REDRAW_INTERVAL_MS = 1_000;

// Recharts, fetched as soon as a page that draws charts loads, and evaluated in a task of its own.
const chartBody = preload(() => import('./ChartBody.js').then((module) => module.ChartBody));

function toMarkerLine(marker: ChartMarker) {
  const style = markerStyles[marker.tone];
  return {
    x: marker.x,
    stroke: style.stroke,
    dash: style.dash,
    label: { value: marker.label, ...style.label },
    className: `chart-marker chart-marker-${marker.tone}`,
  };
}

/** A span (the warm-up before the measured window): shaded, under the lines. */
function toMarkerArea(marker: ChartMarker & { x2: number }) {
  const style = markerStyles[marker.tone];
  return {
    x1: marker.x,
    x2: marker.x2,
    fill: style.stroke,
    label: { value: marker.label, ...style.label },
    className: `chart-span chart-span-${marker.tone}`,
  };
}

/** Everything one chart draws, computed in its own redraw task. */
export interface ChartDrawing {
  /** Stretches when other processes kept the machine busy, shaded behind the lines. */
  bands?: readonly ChartBand[];
  /** The stretch a finding is about, when the user asked to see it. */
  highlight?: ChartHighlight | undefined;
  lines: PreparedLine[];
  rows: Row[];
  unit: Unit | undefined;
  markerLines: ReturnType<typeof toMarkerLine>[];
  markerAreas: ReturnType<typeof toMarkerArea>[];
}

function draw(source: SeriesSource, definition: ChartDefinition, markers: readonly ChartMarker[]): ChartDrawing {
  const areas = markers.filter((marker): marker is ChartMarker & { x2: number } => marker.x2 !== undefined);
  return {
    ...prepare(source, definition),
    markerLines: markers.filter((marker) => marker.x2 === undefined).map(toMarkerLine),
    markerAreas: areas.map(toMarkerArea),
  };
}

/** Stands for "nothing to draw with": the chart code failed to load. */
const failedDrawing: ChartDrawing = { lines: [], rows: [], unit: undefined, markerLines: [], markerAreas: [] };

/**
 * The drawing of a chart, brought up to date through the shared redraw
 * queue: one chart per task, and a live one at most every
 * LIVE_REDRAW_INTERVAL_MS. Undefined until the first redraw has run.
 */
function useQueuedDrawing(
  source: SeriesSource,
  version: number,
  definition: ChartDefinition,
  markers: readonly ChartMarker[],
  bands: readonly ChartBand[],
  highlight: ChartHighlight | undefined,
): ChartDrawing | undefined {
  const [drawing, setDrawing] = useState<ChartDrawing>();
  const lastDrawnAt = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    // version stands for the source's contents, which mutate in place.
    let dequeue: Disposer | undefined;
    const wait = Math.max(0, lastDrawnAt.current + LIVE_REDRAW_INTERVAL_MS - performance.now());
    let cancelled = false;
    const timer = setTimeout(() => {
      // Drawn once the chart code is here, so no render waits on it.
      chartBody.ready.then(
        () => {
          if (cancelled) return;
          dequeue = chartRedraws.request(() => {
            lastDrawnAt.current = performance.now();
            const next = { ...draw(source, definition, markers), bands, highlight };
            // A transition: React renders the chart in slices of a few milliseconds, with input and paint in between.
            startTransition(() => setDrawing(next));
          });
        },
        () => !cancelled && setDrawing(failedDrawing),
      );
    }, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      dequeue?.();
    };
  }, [source, version, definition, markers, bands, highlight]);
  return drawing;
}

function TimeSeriesChartView({
  source,
  version,
  definition,
  markers = noMarkers,
  bands = noBands,
  highlight,
}: {
  source: SeriesSource;
  /** Changes when the source has new points. */
  version: number;
  definition: ChartDefinition;
  /** Moments drawn across the chart (restarts, faults) and spans shaded (the warm-up); the x axis stretches to show them. */
  markers?: readonly ChartMarker[];
  /** Stretches when other processes kept the machine busy: shaded, the same on every chart of a run. */
  bands?: readonly ChartBand[];
  /** The stretch a finding is about, when the user asked to see it on the charts. */
  highlight?: ChartHighlight | undefined;
}) {
  const drawing = useQueuedDrawing(source, version, definition, markers, bands, highlight);
  const unitText = drawing?.unit ? displayUnit(drawing.unit) || 'count' : '';
  const { visited, onPointerEnter, onFocus } = useFirstVisit();
  return (
    <figure
      className="chart"
      aria-label={chartAccessibleName(definition)}
      aria-busy={drawing === undefined}
      onPointerEnter={onPointerEnter}
      onFocus={onFocus}
    >
      <figcaption className="chart-title">
        {definition.title}
        {unitText && <span className="chart-unit"> ({unitText})</span>}
      </figcaption>
      {drawing === undefined ? (
        <div className="chart-empty" />
      ) : drawing === failedDrawing || !chartBody.value ? (
        <div className="chart-empty">The chart code could not be loaded; reload the page.</div>
      ) : drawing.lines.length === 0 ? (
        <div className="chart-empty">No data yet</div>
      ) : (
        <chartBody.value drawing={drawing} unitText={unitText} withTooltip={visited} />
      )}
    </figure>
  );
}

/** Re-renders only when its source has new points, not whenever the page does. */
export const TimeSeriesChart = memo(TimeSeriesChartView);
