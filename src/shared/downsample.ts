/**
 * Reducing a time series to what a chart can show. A run can hold a million
 * samples; a line drawn a few hundred pixels wide shows no more than a few
 * hundred of them, and every extra point costs transfer, parsing and drawing.
 * Pure functions, shared by the engine (display views of saved runs, report
 * charts) and the renderer (live charts).
 */
export interface Points {
  t: readonly number[];
  v: readonly number[];
}

export interface MutablePoints {
  t: number[];
  v: number[];
}

function checkPoints(what: string, points: Points): void {
  if (points.t.length !== points.v.length) {
    throw new RangeError(`${what} needs t and v of equal length (got ${points.t.length} and ${points.v.length})`);
  }
}

/**
 * At most `maxPoints` points that keep every bucket's lowest and highest
 * value, in time order, plus the first and last point. Spikes survive: the
 * worst event-loop delay or latency of a run is still on the line, which an
 * average per bucket would flatten. Every kept point is a recorded one.
 */
export function minMaxDownsample(points: Points, maxPoints: number): MutablePoints {
  if (!Number.isInteger(maxPoints) || maxPoints < 4) {
    throw new RangeError(`min/max downsampling needs maxPoints to be an integer of at least 4 (got ${maxPoints})`);
  }
  checkPoints('min/max downsampling', points);
  const { t, v } = points;
  const length = t.length;
  if (length <= maxPoints) return { t: t.slice(), v: v.slice() };

  const outT: number[] = [t[0]!];
  const outV: number[] = [v[0]!];
  const keep = (i: number) => {
    outT.push(t[i]!);
    outV.push(v[i]!);
  };
  // The first and last points are kept; the ones between fill buckets of two points each.
  const inner = length - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = 1 + Math.floor((bucket * inner) / buckets);
    const to = 1 + Math.floor(((bucket + 1) * inner) / buckets);
    let lowest = from;
    let highest = from;
    for (let i = from + 1; i < to; i++) {
      const value = v[i]!;
      if (value < v[lowest]!) lowest = i;
      else if (value > v[highest]!) highest = i;
    }
    if (lowest === highest) keep(lowest);
    else if (lowest < highest) {
      keep(lowest);
      keep(highest);
    } else {
      keep(highest);
      keep(lowest);
    }
  }
  keep(length - 1);
  return { t: outT, v: outV };
}

/**
 * At most `threshold` points that keep the line's visual shape
 * (Largest-Triangle-Three-Buckets, Steinarsson 2013): each bucket keeps the
 * point that makes the largest triangle with its neighbours.
 */
export function downsample(points: Points, threshold: number): MutablePoints {
  if (!Number.isInteger(threshold) || threshold < 3) {
    throw new RangeError(`downsample threshold must be an integer of at least 3 (got ${threshold})`);
  }
  checkPoints('downsample', points);
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
