/** The Recharts part of a sweep chart, loaded on its own like the time charts' (charts/ChartBody.tsx). */
import { CartesianGrid, ErrorBar, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { gridAtTicks, renderAxisTick, useMountStage } from '../charts/chart-parts.js';
import { formatNumber } from '../format.js';
import { shortMetricLabel, SWEEP_CHART_HEIGHT, type SweepChartProps } from './SweepChart.js';
import type { SweepSeriesKey } from './sweep-chart-rows.js';

/** As wide as the panel (like the time charts' `responsive`), its height fixed. */
const chartStyle = { width: '100%', height: SWEEP_CHART_HEIGHT };
const zeroDomain: [number, 'auto'] = [0, 'auto'];
const autoDomain: ['auto', 'auto'] = ['auto', 'auto'];

/** A tooltip's value: the mean and its 95% interval, saying when the interval was cut at 0. */
function formatPoint(value: unknown, _name: unknown, item: { dataKey?: unknown; payload?: Record<string, unknown> }): string {
  const text = typeof value === 'number' ? formatNumber(value) : String(value);
  const key = String(item.dataKey);
  const interval = item.payload?.[`${key}Interval`];
  if (!Array.isArray(interval)) return text;
  const [low, high] = interval as [number, number];
  return `${text} (95%: ${formatNumber(low)}–${formatNumber(high)}${item.payload?.[`${key}Clipped`] ? ', cut at 0' : ''})`;
}

export function SweepChartBody({
  axisPath,
  rows,
  metric,
  latencyMetric,
  units,
  labels,
  target,
  kneeX,
  fromZero,
  withTooltip,
}: Omit<SweepChartProps, 'title' | 'points' | 'knee'> & {
  rows: Array<Record<string, unknown>>;
  kneeX: string | undefined;
  /** Per series, whether its axis starts at 0 (see sweepChartRows). */
  fromZero: Record<SweepSeriesKey, boolean>;
  withTooltip: boolean;
}) {
  // Frame, then lines, then legend, knee and tooltip: one part per task (see useMountStage).
  const stage = useMountStage(3);
  // Axes carry units only (a label would not fit their height); the legend names each line.
  const nameOf = (key: string) => shortMetricLabel(labels, key);
  // The target on the axis of its metric: the objective's or the latency's.
  const targetAxis = target ? (target.metric === metric ? 'm' : target.metric === latencyMetric ? 'l' : undefined) : undefined;
  return (
    <LineChart responsive style={chartStyle} data={rows} margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
      <CartesianGrid stroke="#eef0f3" {...gridAtTicks} />
      {/* Every tick shown: a sweep has a handful of settings, and thinning ticks measures each label in the DOM. */}
      <XAxis dataKey="x" padding={{ left: 40, right: 40 }} label={{ value: axisPath, position: "insideBottom", offset: -12 }} tick={renderAxisTick} interval={0} />
      <YAxis yAxisId="m" domain={fromZero.m ? zeroDomain : autoDomain} tick={renderAxisTick} interval={0} label={{ value: units[metric] ?? '', angle: -90, position: 'insideLeft' }} />
      {latencyMetric && (
        <YAxis
          yAxisId="l"
          orientation="right"
          domain={fromZero.l ? zeroDomain : autoDomain}
          tick={renderAxisTick}
          interval={0}
          label={{ value: units[latencyMetric] ?? '', angle: 90, position: 'insideRight' }}
        />
      )}
      {stage >= 2 && withTooltip && <Tooltip formatter={formatPoint} />}
      {stage >= 2 && <Legend verticalAlign="top" />}
      {stage >= 2 && kneeX !== undefined && <ReferenceLine yAxisId="m" x={kneeX} stroke="#d9822b" strokeDasharray="4 3" label="knee" />}
      {stage >= 2 && target && targetAxis && (
        <ReferenceLine
          yAxisId={targetAxis}
          y={target.value}
          stroke="#b3261e"
          strokeWidth={1.5}
          ifOverflow="extendDomain"
          label={{ value: `target ${target.op} ${formatNumber(target.value)}`, position: 'insideTopRight', fill: '#b3261e' }}
        />
      )}
      {stage >= 1 && (
        <Line yAxisId="m" dataKey="m" name={nameOf(metric)} stroke="#1f5fbf" isAnimationActive={false}>
          <ErrorBar dataKey="mErr" width={6} stroke="#1f5fbf" direction="y" isAnimationActive={false} />
        </Line>
      )}
      {stage >= 1 && latencyMetric && (
        <Line yAxisId="l" dataKey="l" name={nameOf(latencyMetric)} stroke="#b3261e" strokeDasharray="5 3" isAnimationActive={false}>
          <ErrorBar dataKey="lErr" width={6} stroke="#b3261e" direction="y" isAnimationActive={false} />
        </Line>
      )}
    </LineChart>
  );
}
