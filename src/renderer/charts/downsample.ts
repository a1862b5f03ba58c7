/**
 * Reduces a time series to at most `threshold` points for drawing, keeping
 * its visual shape (Largest-Triangle-Three-Buckets, Steinarsson 2013). A run
 * can hold hundreds of thousands of samples; an SVG line with more points than
 * the chart has pixels costs time and shows nothing more.
 */
export interface Points {
  t: readonly number[];
  v: readonly number[];
}

export interface MutablePoints {
  t: number[];
  v: number[];
}

/** A chart is a few hundred pixels wide; more points than that cost drawing time and show nothing more. */
export const DEFAULT_MAX_POINTS = 300;

export function downsample(points: Points, threshold: number = DEFAULT_MAX_POINTS): MutablePoints {
  if (!Number.isInteger(threshold) || threshold < 3) {
    throw new RangeError(`downsample threshold must be an integer of at least 3 (got ${threshold})`);
  }
  if (points.t.length !== points.v.length) {
    throw new RangeError(`downsample needs t and v of equal length (got ${points.t.length} and ${points.v.length})`);
  }
  const { t, v } = points;
  const length = t.length;
  if (length <= threshold) return { t: t.slice(), v: v.slice() };

  const outT: number[] = [t[0]!];
  const outV: number[] = [v[0]!];
  // The first and last points are kept; the rest is split into threshold - 2 buckets.
  const bucketSize = (length - 2) / (threshold - 2);
  let selected = 0;

  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const from = Math.floor(bucket * bucketSize) + 1;
    const to = Math.floor((bucket + 1) * bucketSize) + 1;

    // Average of the next bucket stands in for the point that will follow.
    const nextFrom = to;
    const nextTo = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, length);
    let averageT = 0;
    let averageV = 0;
    for (let i = nextFrom; i < nextTo; i++) {
      averageT += t[i]!;
      averageV += v[i]!;
    }
    const nextCount = nextTo - nextFrom;
    averageT /= nextCount;
    averageV /= nextCount;

    const anchorT = t[selected]!;
    const anchorV = v[selected]!;
    let largestArea = -1;
    let chosen = from;
    for (let i = from; i < to; i++) {
      const area = Math.abs((anchorT - averageT) * (v[i]! - anchorV) - (anchorT - t[i]!) * (averageV - anchorV));
      if (area > largestArea) {
        largestArea = area;
        chosen = i;
      }
    }
    outT.push(t[chosen]!);
    outV.push(v[chosen]!);
    selected = chosen;
  }

  outT.push(t[length - 1]!);
  outV.push(v[length - 1]!);
  return { t: outT, v: outV };
}
