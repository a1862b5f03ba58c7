import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { Disposer } from '../../shared/contract.js';
import type { Unit } from '../../shared/metrics.js';
import { displayUnit, displayValue, formatNumber, humanize } from '../format.js';
import type { SeriesSource } from '../runs/series-source.js';
import { chartAccessibleName, type ChartDefinition, type ChartMarker } from './chart-definition.js';
import { downsample } from './downsample.js';
import { chartRedraws } from './redraw-queue.js';

const palette = ['#1f5fbf', '#d9822b', '#2e8540', '#b3261e', '#6b4fbb', '#0f8b8d'];
/**
 * Percentile lines often coincide (p95 = p99 when an interval holds few
 * jobs); dashing the later ones keeps the hidden line visible beneath.
 */
const dashes = [undefined, undefined, '5 3', '2 2'];

interface PreparedLine {
  key: string;
  name: string;
  color: string;
  dash: string | undefined;
}

type Row = Record<string, number>;

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

/*
 * Recharts keeps axis and chart settings in a store and recomputes when a
 * prop's identity changes, so every object and function handed to it is
 * created once (or once per unit), never per render.
 */
const chartMargin = { top: 6, right: 12, bottom: 18, left: 6 };
const tickStyle = { fontSize: 11 };
const xLabel = { value: 'Time (s)', position: 'insideBottom', offset: -10, fontSize: 11 } as const;
const xDomain: [number, 'auto'] = [0, 'auto'];
const percentDomain: [number, number] = [0, 100];
const valueDomain: [number, 'auto'] = [0, 'auto'];
const legendStyle = { fontSize: 11 };
const activeDot = { r: 3 };
const formatTick = (value: number) => formatNumber(value);
const formatTime = (x: unknown) => `${formatNumber(Number(x))} s`;
const noMarkers: readonly ChartMarker[] = [];
const markerStyles = {
  failure: { stroke: '#b3261e', dash: '4 3', label: { position: 'insideTopLeft', fontSize: 10, fill: '#b3261e' } },
  action: { stroke: '#8a5a00', dash: '1 3', label: { position: 'insideBottomLeft', fontSize: 10, fill: '#8a5a00' } },
} as const;

/** A live chart redraws at most this often; the page's numbers (summary, progress) update faster. */
export const LIVE_REDRAW_INTERVAL_MS = 1_000;

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

/** Everything one chart draws, computed in its own redraw task. */
interface Drawing {
  lines: PreparedLine[];
  rows: Row[];
  unit: Unit | undefined;
  markerLines: ReturnType<typeof toMarkerLine>[];
}

function draw(source: SeriesSource, definition: ChartDefinition, markers: readonly ChartMarker[]): Drawing {
  return { ...prepare(source, definition), markerLines: markers.map(toMarkerLine) };
}

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
): Drawing | undefined {
  const [drawing, setDrawing] = useState<Drawing>();
  const lastDrawnAt = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    // version stands for the source's contents, which mutate in place.
    let dequeue: Disposer | undefined;
    const wait = Math.max(0, lastDrawnAt.current + LIVE_REDRAW_INTERVAL_MS - performance.now());
    const timer = setTimeout(() => {
      dequeue = chartRedraws.request(() => {
        lastDrawnAt.current = performance.now();
        const next = draw(source, definition, markers);
        // Rendered and committed inside this task, so each chart's cost stays in a task of its own.
        flushSync(() => setDrawing(next));
      });
    }, wait);
    return () => {
      clearTimeout(timer);
      dequeue?.();
    };
  }, [source, version, definition, markers]);
  return drawing;
}

function TimeSeriesChartView({
  source,
  version,
  definition,
  markers = noMarkers,
}: {
  source: SeriesSource;
  /** Changes when the source has new points. */
  version: number;
  definition: ChartDefinition;
  /** Moments drawn across the chart (restarts, faults); the x axis stretches to show them. */
  markers?: readonly ChartMarker[];
}) {
  const drawing = useQueuedDrawing(source, version, definition, markers);
  const unitText = drawing?.unit ? displayUnit(drawing.unit) || 'count' : '';
  return (
    <figure className="chart" aria-label={chartAccessibleName(definition)} aria-busy={drawing === undefined}>
      <figcaption className="chart-title">
        {definition.title}
        {unitText && <span className="chart-unit"> ({unitText})</span>}
      </figcaption>
      {drawing === undefined ? (
        <div className="chart-empty" />
      ) : drawing.lines.length === 0 ? (
        <div className="chart-empty">No data yet</div>
      ) : (
        <ChartBody drawing={drawing} unitText={unitText} />
      )}
    </figure>
  );
}

/** The Recharts part; re-renders only when its chart is redrawn, not whenever the page does. */
const ChartBody = memo(function ChartBody({ drawing, unitText }: { drawing: Drawing; unitText: string }) {
  const { lines, rows, unit, markerLines } = drawing;
  const axis = useMemo(
    () => ({
      domain: unit === 'ratio' || unit === 'percent' ? percentDomain : valueDomain,
      label: { value: unitText, angle: -90, position: 'insideLeft', fontSize: 11, offset: 10 } as const,
      formatValue: (value: unknown) => `${formatNumber(Number(value))}${unitText && unitText !== 'count' ? ` ${unitText}` : ''}`,
    }),
    [unit, unitText],
  );
  return (
    <LineChart responsive data={rows} margin={chartMargin} className="chart-svg">
      <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
      <XAxis dataKey="x" type="number" domain={xDomain} tickFormatter={formatTick} label={xLabel} tick={tickStyle} />
      <YAxis domain={axis.domain} width={56} tickFormatter={formatTick} label={axis.label} tick={tickStyle} />
      <Tooltip isAnimationActive={false} labelFormatter={formatTime} formatter={axis.formatValue} />
      {lines.length > 1 && <Legend verticalAlign="top" height={20} iconSize={10} itemSorter={null} wrapperStyle={legendStyle} />}
      {markerLines.map((marker, index) => (
        <ReferenceLine
          key={`m${index}`}
          x={marker.x}
          stroke={marker.stroke}
          strokeDasharray={marker.dash}
          ifOverflow="extendDomain"
          label={marker.label}
          className={marker.className}
        />
      ))}
      {lines.map((line) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.name}
          type="linear"
          stroke={line.color}
          strokeDasharray={line.dash}
          strokeWidth={1.5}
          dot={false}
          activeDot={activeDot}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
});

/** Re-renders only when its source has new points, not whenever the page does. */
export const TimeSeriesChart = memo(TimeSeriesChartView);
