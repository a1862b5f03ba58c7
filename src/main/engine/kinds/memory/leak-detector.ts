import { TunebenchError } from '../../../../shared/errors.js';
import type { LeakVerdict } from '../../../../shared/runtime.js';
import { defaultLeakRule, LeakRuleSchema } from '../../../../shared/specs/memory.js';
import type { LeakRule } from '../../../../shared/specs/memory.js';
import { describeZodError } from '../../../../shared/validation.js';

const MB = 1024 * 1024;
const MS_PER_MIN = 60_000;

export interface LinearFit {
  slope: number;
  intercept: number;
  r2: number;
}

/** Ordinary least squares of y on x; x is shifted to its first value for numeric stability. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return { slope: 0, intercept: ys[0] ?? 0, r2: 0 };
  const x0 = xs[0]!;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]! - x0;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - x0 - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, intercept: my, r2: 0 };
  const slope = sxy / sxx;
  // A perfectly flat floor is explained by the line completely, but it is not growth: r2 stays 0.
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

export interface FloorPoint {
  /** ms since the process (or run) started. */
  t: number;
  /** Heap used right after a major GC, in MB. */
  mb: number;
}

/** The latest part of the points' span that must still grow: a third of it, and at least the last three points. */
const RECENT_SHARE = 1 / 3;
const RECENT_MIN_POINTS = 3;
/** Growth in the latest part must be at least this share of the whole window's: a cache that filled has a flat tail. */
const RECENT_MIN_SLOPE_SHARE = 1 / 3;

function recentPoints(points: readonly FloorPoint[]): FloorPoint[] {
  const t0 = points[0]!.t;
  const t1 = points[points.length - 1]!.t;
  const from = t1 - (t1 - t0) * RECENT_SHARE;
  const recent = points.filter((p) => p.t >= from);
  return recent.length >= RECENT_MIN_POINTS ? recent : points.slice(-RECENT_MIN_POINTS);
}

function fitOf(points: readonly FloorPoint[]): LinearFit {
  return leastSquares(
    points.map((p) => p.t),
    points.map((p) => p.mb),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The verdict on a live-set floor (the points inside the window, oldest
 * first). It needs all of: enough points, points spanning sustainSec,
 * growth above the threshold, a line that explains the points (R²), and
 * growth in the latest third of the span too, so a cache that filled and
 * then stayed flat is not a leak. While the evidence is short the verdict is
 * 'collecting'; at the end of a run (final) it is 'undecided', saying what
 * was missing.
 */
export function judgeLeak(points: readonly FloorPoint[], rule: LeakRule, final = false): LeakVerdict {
  const t0 = points[0]?.t ?? 0;
  const t1 = points[points.length - 1]?.t ?? 0;
  const fit = fitOf(points);
  const slopeMbPerMin = fit.slope * MS_PER_MIN;
  const base = {
    slopeMbPerMin,
    r2: fit.r2,
    t0,
    t1,
    interceptMb: fit.intercept,
    points: points.length,
    windowSec: rule.windowSec,
  };
  const spanSec = (t1 - t0) / 1_000;
  if (points.length < rule.minPoints || spanSec < rule.sustainSec) {
    if (!final) {
      return {
        ...base,
        status: 'collecting',
        reason: `${points.length} of ${rule.minPoints} major-GC points over ${spanSec.toFixed(1)} of ${rule.sustainSec} s`,
      };
    }
    const missing =
      points.length < rule.minPoints
        ? `only ${plural(points.length, 'major-GC point')} after the ${rule.warmupSec} s warm-up, ${rule.minPoints} needed`
        : `the ${plural(points.length, 'major-GC point')} span ${spanSec.toFixed(1)} s, ${rule.sustainSec} s needed`;
    return {
      ...base,
      status: 'undecided',
      reason: `${missing}; run longer, or give the process less heap (maxOldSpaceMb) so major GCs come more often`,
    };
  }
  const growing = slopeMbPerMin >= rule.minGrowthMbPerMin;
  const steady = fit.r2 >= rule.minR2;
  if (!growing || !steady) {
    return {
      ...base,
      status: 'no-leak',
      reason: growing
        ? `growth ${slopeMbPerMin.toFixed(2)} MB/min is not steady (R² ${fit.r2.toFixed(2)} < ${rule.minR2})`
        : `live set growth ${slopeMbPerMin.toFixed(2)} MB/min is under ${rule.minGrowthMbPerMin} MB/min`,
    };
  }
  const recent = recentPoints(points);
  const recentSlopeMbPerMin = fitOf(recent).slope * MS_PER_MIN;
  const recentSec = (recent[recent.length - 1]!.t - recent[0]!.t) / 1_000;
  const withRecent = { ...base, recentSlopeMbPerMin, recentSec };
  if (recentSlopeMbPerMin < Math.max(rule.minGrowthMbPerMin, slopeMbPerMin * RECENT_MIN_SLOPE_SHARE)) {
    return {
      ...withRecent,
      status: 'no-leak',
      reason:
        `plateaued: the live set grew ${slopeMbPerMin.toFixed(2)} MB/min over ${spanSec.toFixed(0)} s ` +
        `but ${recentSlopeMbPerMin.toFixed(2)} MB/min over the last ${recentSec.toFixed(0)} s; it filled and stayed flat (a cache?), not a leak`,
    };
  }
  return {
    ...withRecent,
    status: 'possible-leak',
    reason:
      `live set grows ${slopeMbPerMin.toFixed(2)} MB/min (R² ${fit.r2.toFixed(2)}) over ${spanSec.toFixed(0)} s, ` +
      `${recentSlopeMbPerMin.toFixed(2)} MB/min over the last ${recentSec.toFixed(0)} s`,
  };
}

/**
 * Flags a possible leak from the live-set floor: heap used right after each
 * major GC. Churn raises heap used between collections but not the floor, so
 * it is not flagged; a leak raises the floor steadily (see judgeLeak).
 */
export class LeakDetector {
  private readonly rule: LeakRule;
  private readonly points: FloorPoint[] = [];

  constructor(rule: Partial<LeakRule> = {}) {
    const parsed = LeakRuleSchema.safeParse({ ...defaultLeakRule, ...rule });
    if (!parsed.success) {
      throw new TunebenchError('TB_SCHEMA_INVALID', { what: 'Leak rule', problems: describeZodError(parsed.error) });
    }
    this.rule = parsed.data;
  }

  /** One floor point: t in ms since the process (or run) started, heap used in bytes. */
  add(t: number, heapUsedBytes: number): void {
    if (!Number.isFinite(t) || !Number.isFinite(heapUsedBytes)) return;
    if (t < this.rule.warmupSec * 1_000) return;
    this.points.push({ t, mb: heapUsedBytes / MB });
    const oldest = t - this.rule.windowSec * 1_000;
    while (this.points.length && this.points[0]!.t < oldest) this.points.shift();
  }

  get settings(): LeakRule {
    return { ...this.rule };
  }

  /** The verdict so far: 'collecting' while the evidence is short. */
  verdict(): LeakVerdict {
    return judgeLeak(this.points, this.rule);
  }

  /** The verdict when no more points will come: 'undecided', with what was missing, instead of 'collecting'. */
  finalVerdict(): LeakVerdict {
    return judgeLeak(this.points, this.rule, true);
  }
}
