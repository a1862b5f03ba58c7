/**
 * Points per line a chart draws. A chart is a few hundred pixels wide, and
 * Recharts' cost grows with the rows it lays out: more points than this cost
 * drawing time and show nothing more.
 */
import { downsample as lttb, type MutablePoints, type Points } from '../../shared/downsample.js';

export type { MutablePoints, Points };

export const DEFAULT_MAX_POINTS = 200;

/** LTTB (src/shared/downsample.ts) to at most `threshold` points. */
export function downsample(points: Points, threshold: number = DEFAULT_MAX_POINTS): MutablePoints {
  return lttb(points, threshold);
}
