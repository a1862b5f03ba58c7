import { headlineName } from '../../shared/headline-names.js';
import type { AnalysisTarget, SweepAnalysis } from '../../shared/studies.js';
import { useFirstVisit } from '../charts/chart-parts.js';
import { preload, usePreloadedChart } from '../charts/preload.js';
import { sweepChartRows } from './sweep-chart-rows.js';

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

/** A metric's short name for the chart's title, legend and notes: the runs list's headline name (shared/headline-names.ts). */
export function shortMetricLabel(labels: Record<string, string>, key: string): string {
  return headlineName(key, labels[key]);
}

// Recharts, fetched as soon as the sweeps page loads, and evaluated in a task of its own.
const sweepChartBody = preload(() => import('./SweepChartBody.js').then((module) => module.SweepChartBody));

/**
 * A metric against the swept setting, with the latency beside it on its own
 * axis: error bars are the 95% intervals over repeats; the knee is marked.
 */
export function SweepChart({ title, axisPath, points, metric, latencyMetric, units, labels, target, knee }: SweepChartProps) {
  const { rows, fromZero, clipped } = sweepChartRows(points, axisPath, { m: metric, l: latencyMetric }, units);
  const cut = [...(clipped.m ? [metric] : []), ...(clipped.l && latencyMetric ? [latencyMetric] : [])].map((key) => shortMetricLabel(labels, key));
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
          fromZero={fromZero}
          withTooltip={visited}
        />
      ) : (
        <div className="chart-empty" style={{ height: SWEEP_CHART_HEIGHT }}>
          {error ? 'The chart code could not be loaded; reload the page.' : ''}
        </div>
      )}
      {cut.length > 0 && (
        <p className="muted chart-footnote">
          {cut.length > 1
            ? `The 95% intervals of ${cut.join(' and ')} reach below 0 with so few repeats; they are drawn from 0, since neither can be negative.`
            : `The 95% interval of ${cut[0]} reaches below 0 with so few repeats; it is drawn from 0, since it cannot be negative.`}
        </p>
      )}
    </figure>
  );
}
