/**
 * Pieces every Recharts chart of the workbench shares, chosen for a cheap
 * first render: Recharts' defaults measure text in the DOM (a forced layout
 * per label) to thin and wrap tick labels, which numbers on an axis of a few
 * ticks never need. Types only from recharts, so importing this loads none of it.
 */
import { startTransition, useCallback, useEffect, useState, type ComponentProps, type ReactElement } from 'react';
import type { CartesianGrid, XAxisTickContentProps } from 'recharts';
import { formatNumber } from '../format.js';
import { chartRedraws } from './redraw-queue.js';

/** What Recharts hands a tick renderer, both axes alike. */
type AxisTickProps = Pick<XAxisTickContentProps, 'x' | 'y' | 'textAnchor' | 'verticalAnchor' | 'fill' | 'payload'>;

/** A tick label as plain SVG text; Recharts' <Text> is given the axis' width and measures each label's words to wrap them. */
export function renderAxisTick({ x, y, textAnchor, verticalAnchor, fill, payload }: AxisTickProps): ReactElement {
  const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'end' ? '0' : '0.355em';
  const value: unknown = payload.value;
  return (
    <text x={x} y={y} dy={dy} textAnchor={textAnchor} fill={fill} fontSize={11} className="recharts-cartesian-axis-tick-value">
      {typeof value === 'number' ? formatNumber(value) : String(value)}
    </text>
  );
}

type GridProps = ComponentProps<typeof CartesianGrid>;
type HorizontalCoordinatesGenerator = NonNullable<GridProps['horizontalCoordinatesGenerator']>;
type VerticalCoordinatesGenerator = NonNullable<GridProps['verticalCoordinatesGenerator']>;
type GridAxis = Parameters<VerticalCoordinatesGenerator>[0]['xAxis'];

/** Grid lines at the axis' own ticks; Recharts' default re-derives and thins them, measuring every label. */
function gridLinesAt(axis: GridAxis): number[] {
  const scale = axis?.scale;
  const ticks = axis?.ticks ?? axis?.niceTicks;
  if (!scale || !ticks) return [];
  return ticks.map((tick) => scale.map(tick)).filter((position): position is number => Number.isFinite(position));
}

/** Spread into <CartesianGrid>. */
export const gridAtTicks: { horizontalCoordinatesGenerator: HorizontalCoordinatesGenerator; verticalCoordinatesGenerator: VerticalCoordinatesGenerator } = {
  horizontalCoordinatesGenerator: ({ yAxis }) => gridLinesAt(yAxis),
  verticalCoordinatesGenerator: ({ xAxis }) => gridLinesAt(xAxis),
};

/**
 * Whether a chart has had the pointer or keyboard focus yet, and the handlers
 * that notice it. Its tooltip is mounted from then on: the tooltip adds about
 * a fifth to a chart's first render, and most charts are only looked at.
 */
export function useFirstVisit(): { visited: boolean; onPointerEnter: (() => void) | undefined; onFocus: (() => void) | undefined } {
  const [visited, setVisited] = useState(false);
  const visit = useCallback(() => setVisited(true), []);
  return { visited, onPointerEnter: visited ? undefined : visit, onFocus: visited ? undefined : visit };
}

/**
 * How far a chart has mounted: 0 on its first render, then one more on each
 * of its turns in the redraw queue, up to `stages - 1`. A chart mounts its
 * frame (grid, axes) first and adds its lines and then its legend and
 * markers in later tasks: Recharts registers each part in its store on mount
 * and re-renders the chart synchronously for it, so a whole chart mounted at
 * once is one long task.
 */
export function useMountStage(stages: number): number {
  const [stage, setStage] = useState(0);
  useEffect(() => {
    if (stage >= stages - 1) return undefined;
    return chartRedraws.request(() => startTransition(() => setStage(stage + 1)));
  }, [stage, stages]);
  return stage;
}
