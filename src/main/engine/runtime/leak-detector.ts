import { TunebenchError } from '../../../shared/errors.js';
import type { LeakVerdict } from '../../../shared/runtime.js';
import { defaultLeakRule, LeakRuleSchema } from '../../../shared/specs/memory.js';
import type { LeakRule } from '../../../shared/specs/memory.js';
import { describeZodError } from '../../../shared/validation.js';

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

/**
 * Flags a possible leak from the live-set floor: heap used right after each
 * major GC. Churn raises heap used between collections but not the floor, so
 * it is not flagged; a leak raises the floor steadily. The verdict needs all
 * of: enough points, points spanning sustainSec, growth above the threshold
 * and a line that explains the points (R²).
 */
export class LeakDetector {
  private readonly rule: LeakRule;
  private readonly points: Array<{ t: number; mb: number }> = [];

  constructor(rule: Partial<LeakRule> = {}) {
    const parsed = LeakRuleSchema.safeParse({ ...defaultLeakRule, ...rule });
    if (!parsed.success) {
      throw new TunebenchError('TB_INVALID_OPTION', { detail: `Leak rule: ${describeZodError(parsed.error)}` });
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

  verdict(): LeakVerdict {
    const { points, rule } = this;
    const t0 = points[0]?.t ?? 0;
    const t1 = points[points.length - 1]?.t ?? 0;
    const fit = leastSquares(
      points.map((p) => p.t),
      points.map((p) => p.mb),
    );
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
      return {
        ...base,
        status: 'collecting',
        reason: `${points.length} of ${rule.minPoints} major-GC points over ${spanSec.toFixed(1)} of ${rule.sustainSec} s`,
      };
    }
    const growing = slopeMbPerMin >= rule.minGrowthMbPerMin;
    const steady = fit.r2 >= rule.minR2;
    if (growing && steady) {
      return {
        ...base,
        status: 'possible-leak',
        reason: `live set grows ${slopeMbPerMin.toFixed(2)} MB/min (R² ${fit.r2.toFixed(2)}) over ${spanSec.toFixed(0)} s`,
      };
    }
    return {
      ...base,
      status: 'no-leak',
      reason: growing
        ? `growth ${slopeMbPerMin.toFixed(2)} MB/min is not steady (R² ${fit.r2.toFixed(2)} < ${rule.minR2})`
        : `live set growth ${slopeMbPerMin.toFixed(2)} MB/min is under ${rule.minGrowthMbPerMin} MB/min`,
    };
  }
}
