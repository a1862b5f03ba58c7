import type { AnalysisTarget, SweepAnalysis } from '../../shared/studies.js';
import { useFirstVisit } from '../charts/chart-parts.js';
import { preload, usePreloadedChart } from '../charts/preload.js';

type Point = SweepAnalysis['points'][number];

/** The chart's drawn height, kept while Recharts loads so the page does not jump. */
export const SWEEP_CHART_HEIGHT = 280;

export interface SweepChartProps {
  title: string;
  axisPath: string;
  points: Point[];
  metric: string;
  latencyMetric: string | null;
  units: SweepAnalysis['units'];
  /** Each metric's label from its runs (empty for analyses saved before labels). */
  labels: Record<string, string>;
  /** The user's target (p99 < 50 ms): drawn as a line on its metric's axis. */
  target?: AnalysisTarget | undefined;
  knee: Point | undefined;
}

/** A metric's label short enough for an axis ('Queue wait p50'), its key when the label is long or missing. */
export function shortMetricLabel(labels: Record<string, string>, key: string): string {
  const short = labels[key]?.replace(/\s*\([^)]*\)/g, '').trim();
  return short && short.length <= 24 ? short : key;
}

// Recharts, fetched as soon as the sweeps page loads, and evaluated in a task of its own.
const sweepChartBody = preload(() => import('./SweepChartBody.js').then((module) => module.SweepChartBody));

/**
 * A metric against the swept setting, with the latency beside it on its own
 * axis: error bars are the 95% intervals over repeats; the knee is marked.
 */
export function SweepChart({ title, axisPath, points, metric, latencyMetric, units, labels, target, knee }: SweepChartProps) {
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
  const { visited, onPointerEnter, onFocus } = useFirstVisit();
  const { value: SweepChartBody, error } = usePreloadedChart(sweepChartBody);
  return (
    <figure
      className="chart"
      aria-label={`${title}: ${metric}${latencyMetric ? ` and ${latencyMetric}` : ''} by ${axisPath}`}
      onPointerEnter={onPointerEnter}
      onFocus={onFocus}
    >
      <figcaption className="chart-title">{title}</figcaption>
      {SweepChartBody ? (
        <SweepChartBody
          axisPath={axisPath}
          rows={rows}
          metric={metric}
          latencyMetric={latencyMetric}
          units={units}
          labels={labels}
          target={target}
          kneeX={knee ? String(knee.settings[axisPath]) : undefined}
          withTooltip={visited}
        />
      ) : (
        <div className="chart-empty" style={{ height: SWEEP_CHART_HEIGHT }}>
          {error ? 'The chart code could not be loaded; reload the page.' : ''}
        </div>
      )}
    </figure>
  );
}
