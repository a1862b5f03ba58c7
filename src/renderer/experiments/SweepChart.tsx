import { CartesianGrid, ErrorBar, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { SweepAnalysis } from '../../shared/experiments.js';
import { formatNumber } from '../format.js';

type Point = SweepAnalysis['points'][number];

/**
 * A metric against the swept setting, with the latency beside it on its own
 * axis: error bars are the 95% intervals over repeats; the knee is marked.
 */
export function SweepChart({
  title,
  axisPath,
  points,
  metric,
  latencyMetric,
  units,
  knee,
}: {
  title: string;
  axisPath: string;
  points: Point[];
  metric: string;
  latencyMetric: string | null;
  units: SweepAnalysis['units'];
  knee: Point | undefined;
}) {
  const rows = points.map((point) => {
    const row: Record<string, unknown> = { x: String(point.settings[axisPath]) };
    for (const [key, name] of [['m', metric], ['l', latencyMetric]] as const) {
      const stat = name ? point.metrics[name] : undefined;
      if (!stat) continue;
      row[key] = stat.mean;
      row[`${key}Err`] = [stat.mean - stat.low, stat.high - stat.mean];
    }
    return row;
  });
  return (
    <figure className="chart" aria-label={`${title}: ${metric}${latencyMetric ? ` and ${latencyMetric}` : ''} by ${axisPath}`}>
      <figcaption className="chart-title">{title}</figcaption>
      <LineChart width={720} height={280} data={rows} margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
        <CartesianGrid stroke="#eef0f3" />
        <XAxis dataKey="x" padding={{ left: 40, right: 40 }} label={{ value: axisPath, position: "insideBottom", offset: -12 }} />
        <YAxis yAxisId="m" tickFormatter={formatNumber} label={{ value: `${metric} (${units[metric] ?? ''})`, angle: -90, position: 'insideLeft' }} />
        {latencyMetric && (
          <YAxis
            yAxisId="l"
            orientation="right"
            tickFormatter={formatNumber}
            label={{ value: `${latencyMetric} (${units[latencyMetric] ?? ''})`, angle: 90, position: 'insideRight' }}
          />
        )}
        <Tooltip formatter={(value) => (typeof value === 'number' ? formatNumber(value) : String(value))} />
        <Legend verticalAlign="top" />
        {knee && <ReferenceLine yAxisId="m" x={String(knee.settings[axisPath])} stroke="#d9822b" strokeDasharray="4 3" label="knee" />}
        <Line yAxisId="m" dataKey="m" name={metric} stroke="#1f5fbf" isAnimationActive={false}>
          <ErrorBar dataKey="mErr" width={6} stroke="#1f5fbf" direction="y" />
        </Line>
        {latencyMetric && (
          <Line yAxisId="l" dataKey="l" name={latencyMetric} stroke="#b3261e" strokeDasharray="5 3" isAnimationActive={false}>
            <ErrorBar dataKey="lErr" width={6} stroke="#b3261e" direction="y" />
          </Line>
        )}
      </LineChart>
    </figure>
  );
}
