import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Unit } from '../../shared/metrics.js';
import { displayUnit, displayValue, formatNumber, humanize } from '../format.js';
import type { SeriesSource } from '../runs/series-source.js';
import { chartAccessibleName, type ChartDefinition } from './chart-definition.js';
import { downsample } from './downsample.js';

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

function TimeSeriesChartView({
  source,
  version,
  definition,
}: {
  source: SeriesSource;
  /** Changes when the source has new points. */
  version: number;
  definition: ChartDefinition;
}) {
  // version stands for the source's contents, which mutate in place.
  const { lines, rows, unit } = useMemo(() => prepare(source, definition), [source, version, definition]);
  const unitText = unit ? displayUnit(unit) || 'count' : '';
  const axis = useMemo(
    () => ({
      domain: unit === 'ratio' || unit === 'percent' ? percentDomain : valueDomain,
      label: { value: unitText, angle: -90, position: 'insideLeft', fontSize: 11, offset: 10 } as const,
      formatValue: (value: unknown) => `${formatNumber(Number(value))}${unitText && unitText !== 'count' ? ` ${unitText}` : ''}`,
    }),
    [unit, unitText],
  );

  return (
    <figure className="chart" aria-label={chartAccessibleName(definition)}>
      <figcaption className="chart-title">
        {definition.title}
        {unitText && <span className="chart-unit"> ({unitText})</span>}
      </figcaption>
      {lines.length === 0 ? (
        <div className="chart-empty">No data yet</div>
      ) : (
        <LineChart responsive data={rows} margin={chartMargin} className="chart-svg">
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" domain={xDomain} tickFormatter={formatTick} label={xLabel} tick={tickStyle} />
          <YAxis domain={axis.domain} width={56} tickFormatter={formatTick} label={axis.label} tick={tickStyle} />
          <Tooltip isAnimationActive={false} labelFormatter={formatTime} formatter={axis.formatValue} />
          {lines.length > 1 && (
            <Legend verticalAlign="top" height={20} iconSize={10} itemSorter={null} wrapperStyle={legendStyle} />
          )}
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
      )}
    </figure>
  );
}

/** Re-renders only when its source has new points, not whenever the page does. */
export const TimeSeriesChart = memo(TimeSeriesChartView);
