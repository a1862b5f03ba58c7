/**
 * The Recharts part of a time chart, in a module of its own: the page that
 * holds the charts renders first, and Recharts (about a megabyte of script)
 * is loaded and evaluated in a task of its own when the first chart draws.
 */
import { memo, useMemo, type ReactElement } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../format.js';
import { gridAtTicks, renderAxisTick, useMountStage } from './chart-parts.js';
import { percentAxisTop } from './percent-axis.js';
import type { ChartDrawing } from './TimeSeriesChart.js';

/*
 * Recharts keeps axis and chart settings in a store and recomputes when a
 * prop's identity changes, so every object and function handed to it is
 * created once (or once per unit), never per render.
 */
const chartMargin = { top: 6, right: 12, bottom: 18, left: 6 };
const xLabel = { value: 'Time (s)', position: 'insideBottom', offset: -10, fontSize: 11 } as const;
const xDomain: [number, 'auto'] = [0, 'auto'];
// 0–100, higher only for data above 100% (CPU of all threads, in % of one core), to a round top.
const percentDomain: [number, (dataMax: number) => number] = [0, percentAxisTop];
const valueDomain: [number, 'auto'] = [0, 'auto'];
const legendStyle = { fontSize: 11 };
const activeDot = { r: 3 };
const singleDot = { r: 3 };
const formatTime = (x: unknown) => `${formatNumber(Number(x))} s`;
/** Stretches when other processes kept the machine busy: amber behind the lines, named on the first. */
const bandStyle = { fill: '#f0a030', fillOpacity: 0.2, stroke: 'none' } as const;
const bandLabel = { value: 'machine busy', position: 'insideTopRight', fontSize: 10, fill: '#8a4b00' } as const;
/** The stretch a finding is about ("Show on charts"): blue, outlined, over the other shading. */
const highlightStyle = { fill: '#1f5fbf', fillOpacity: 0.14, stroke: '#1f5fbf', strokeOpacity: 0.7, strokeDasharray: '4 3' } as const;
const highlightLabelStyle = { position: 'insideTopLeft', fontSize: 10, fill: '#174a96' } as const;

/** A dot's radius grows with its value (a GC's pause in ms), by square root so one long pause does not swamp the chart. */
const dotRadius = (value: number) => Math.min(12, 2.5 + Math.sqrt(Math.max(0, value)));

interface DotProps {
  cx?: number | null;
  cy?: number | null;
  value?: unknown;
}

/** One dot renderer per colour, made once: Recharts recomputes when a prop's identity changes. */
const dotRenderers = new Map<string, (props: DotProps) => ReactElement>();
function sizedDot(color: string): (props: DotProps) => ReactElement {
  let render = dotRenderers.get(color);
  if (!render) {
    render = ({ cx, cy, value }: DotProps) => {
      const number = Number(value);
      if (typeof cx !== 'number' || typeof cy !== 'number' || value === null || value === undefined || !Number.isFinite(number)) return <g />;
      return <circle cx={cx} cy={cy} r={dotRadius(number)} fill={color} fillOpacity={0.45} stroke={color} strokeWidth={1} />;
    };
    dotRenderers.set(color, render);
  }
  return render;
}

/** The Recharts part; re-renders only when its chart is redrawn, not whenever the page does. */
export const ChartBody = memo(function ChartBody({ drawing, unitText, withTooltip }: { drawing: ChartDrawing; unitText: string; withTooltip: boolean }) {
  const { lines, rows, unit, markerLines, markerAreas, highlight } = drawing;
  const highlightLabel = useMemo(() => (highlight ? { value: highlight.label, ...highlightLabelStyle } : undefined), [highlight]);
  const axis = useMemo(
    () => ({
      domain: unit === 'ratio' || unit === 'percent' ? percentDomain : valueDomain,
      label: { value: unitText, angle: -90, position: 'insideLeft', fontSize: 11, offset: 10 } as const,
      formatValue: (value: unknown) => `${formatNumber(Number(value))}${unitText && unitText !== 'count' ? ` ${unitText}` : ''}`,
    }),
    [unit, unitText],
  );
  // Frame, then lines and markers, then legend and tooltip: one part per task (see useMountStage).
  const stage = useMountStage(3);
  return (
    <LineChart responsive data={rows} margin={chartMargin} className="chart-svg">
      <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" {...gridAtTicks} />
      {/* Every tick shown: a number axis' five "nice" ticks never crowd, and thinning them measures each label in the DOM. */}
      <XAxis dataKey="x" type="number" domain={xDomain} label={xLabel} tick={renderAxisTick} interval={0} />
      <YAxis domain={axis.domain} width={56} label={axis.label} tick={renderAxisTick} interval={0} />
      {stage >= 2 && withTooltip && <Tooltip isAnimationActive={false} labelFormatter={formatTime} formatter={axis.formatValue} />}
      {stage >= 2 && lines.length > 1 && <Legend verticalAlign="top" height={20} iconSize={10} itemSorter={null} wrapperStyle={legendStyle} />}
      {stage >= 1 && markerAreas.map((area, index) => (
        <ReferenceArea
          key={`a${index}`}
          x1={area.x1}
          x2={area.x2}
          fill={area.fill}
          fillOpacity={0.1}
          ifOverflow="extendDomain"
          label={area.label}
          className={area.className}
        />
      ))}
      {stage >= 1 &&
        drawing.bands?.map((band, index) => (
          <ReferenceArea
            key={`b${index}`}
            x1={band.x1}
            x2={band.x2}
            {...bandStyle}
            ifOverflow="extendDomain"
            label={index === 0 ? bandLabel : undefined}
            className="chart-noise-band"
          />
        ))}
      {stage >= 1 && highlight && (
        <ReferenceArea
          x1={highlight.x1}
          x2={highlight.x2}
          {...highlightStyle}
          ifOverflow="extendDomain"
          label={highlightLabel}
          className="chart-finding-highlight"
        />
      )}
      {stage >= 1 && markerLines.map((marker, index) => (
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
      {stage >= 1 && lines.map((line) =>
        line.dots ? (
          <Line
            key={line.key}
            dataKey={line.key}
            name={line.name}
            type="linear"
            // Coloured but zero-width: the legend and tooltip take the colour from the stroke.
            stroke={line.color}
            strokeWidth={0}
            legendType="circle"
            dot={sizedDot(line.color)}
            activeDot={false}
            isAnimationActive={false}
          />
        ) : (
          <Line
            key={line.key}
            dataKey={line.key}
            name={line.name}
            type="linear"
            stroke={line.color}
            strokeDasharray={line.dash}
            strokeWidth={1.5}
            dot={line.single ? singleDot : false}
            activeDot={activeDot}
            connectNulls
            isAnimationActive={false}
          />
        ),
      )}
    </LineChart>
  );
});
