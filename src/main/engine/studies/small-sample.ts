/**
 * Intervals for a handful of repeats (n = 2–5 per side is what people run).
 * A bootstrap of so few values cannot reach beyond the range of the data and
 * calls noise an effect; Student's t does not need many values, only that the
 * per-run values be roughly normal — on the log scale for positive metrics
 * (throughput, latencies), where run-to-run noise is multiplicative.
 *
 * Pure functions; the t quantile is computed exactly (incomplete beta), also
 * for the fractional degrees of freedom Welch's test gives.
 */
import { TunebenchError } from '../../../shared/errors.js';
import type { Interval } from '../../../shared/studies.js';

export interface SmallSampleDifference {
  method: 'student-t-log' | 'welch-t-log' | 'student-t' | 'welch-t';
  /** Geometric means on the log scale, arithmetic means otherwise. */
  baseline: number;
  candidate: number;
  diff: number;
  relDiff: number | null;
  ci: Interval;
  relCi: Interval | null;
  df: number;
}

/**
 * The interval of candidate versus baseline from per-run values (one value a
 * run), at the given two-sided level.
 *
 * - All values positive: on log values, so the interval is of the ratio of
 *   geometric means (relCi = exp(interval of the mean log difference) − 1);
 *   baseline and candidate are geometric means and ci is baseline × relCi.
 * - Otherwise (a count that can be 0): on the values themselves; relCi is ci
 *   divided by the baseline mean (null when that is 0).
 * - Equal run counts: Student's t with the pooled variance (df = 2n − 2),
 *   exact when both sides vary alike and robust to unequal spread at equal n.
 *   Unequal counts: Welch's t (Satterthwaite df). One side with a single run:
 *   the pooled variance is the other side's (df = n − 1): its spread is taken
 *   for both.
 */
export function smallSampleDifference(a: readonly number[], b: readonly number[], level: number): SmallSampleDifference {
  if (!a.length || !b.length || a.length + b.length < 3) {
    throw new TunebenchError('TB_NOT_ENOUGH_DATA', { what: 'a t interval', needed: 'at least 2 runs on one side and 1 on the other' });
  }
  const onLog = [...a, ...b].every((v) => v > 0);
  const x = onLog ? a.map(Math.log) : a;
  const y = onLog ? b.map(Math.log) : b;
  const { diff: d, halfWidth, df, pooled } = tDiff(x, y, level);
  const method = `${pooled ? 'student' : 'welch'}-t${onLog ? '-log' : ''}` as SmallSampleDifference['method'];
  if (onLog) {
    const baseline = Math.exp(mean(x));
    const candidate = Math.exp(mean(y));
    const relCi = { low: Math.exp(d - halfWidth) - 1, high: Math.exp(d + halfWidth) - 1 };
    return {
      method,
      baseline,
      candidate,
      diff: candidate - baseline,
      relDiff: candidate / baseline - 1,
      ci: { low: baseline * relCi.low, high: baseline * relCi.high },
      relCi,
      df,
    };
  }
  const baseline = mean(a);
  const candidate = mean(b);
  const ci = { low: d - halfWidth, high: d + halfWidth };
  const scale = Math.abs(baseline);
  return {
    method,
    baseline,
    candidate,
    diff: candidate - baseline,
    relDiff: baseline !== 0 ? candidate / baseline - 1 : null,
    ci,
    relCi: scale > 0 ? { low: ci.low / scale, high: ci.high / scale } : null,
    df,
  };
}

/** Student's t interval of the mean of per-run values (n ≥ 2); a single value gets a zero-width interval. */
export function tMeanInterval(values: readonly number[], level: number): { estimate: number; interval: Interval } {
  if (!values.length) throw new TunebenchError('TB_NOT_ENOUGH_DATA', { what: 'an interval', needed: 'at least one value' });
  const estimate = mean(values);
  if (values.length < 2) return { estimate, interval: { low: estimate, high: estimate } };
  const halfWidth = studentQuantile((1 + level) / 2, values.length - 1) * Math.sqrt(variance(values, estimate) / values.length);
  return { estimate, interval: { low: estimate - halfWidth, high: estimate + halfWidth } };
}

/**
 * The probability, by the same Student's t as smallSampleDifference, that the
 * true mean of b exceeds ratio × the true mean of a (on the log scale when
 * every value is positive: the ratio of geometric means; otherwise on the
 * values, ratio applied to a's mean). With no spread at all it is 1, 0 or ½.
 */
export function probabilityAbove(a: readonly number[], b: readonly number[], ratio = 1): number {
  if (!a.length || !b.length || a.length + b.length < 3) {
    throw new TunebenchError('TB_NOT_ENOUGH_DATA', { what: 'a t probability', needed: 'at least 2 runs on one side and 1 on the other' });
  }
  const onLog = ratio > 0 && [...a, ...b].every((v) => v > 0);
  const x = onLog ? a.map(Math.log) : a;
  const y = onLog ? b.map(Math.log) : b;
  const { diff, se, df } = tStatistic(x, y);
  const margin = diff - (onLog ? Math.log(ratio) : mean(a) * (ratio - 1));
  if (!(se > 0)) return margin > 0 ? 1 : margin < 0 ? 0 : 0.5;
  return studentCdf(margin / se, df);
}

function tStatistic(x: readonly number[], y: readonly number[]): { diff: number; se: number; df: number; pooled: boolean } {
  const nx = x.length;
  const ny = y.length;
  const mx = mean(x);
  const my = mean(y);
  const vx = nx > 1 ? variance(x, mx) : 0;
  const vy = ny > 1 ? variance(y, my) : 0;
  const pooled = nx === ny || nx === 1 || ny === 1;
  let se: number;
  let df: number;
  if (pooled) {
    df = nx + ny - 2;
    const sp2 = ((nx - 1) * vx + (ny - 1) * vy) / df;
    se = Math.sqrt(sp2 * (1 / nx + 1 / ny));
  } else {
    const ex = vx / nx;
    const ey = vy / ny;
    se = Math.sqrt(ex + ey);
    const denominator = (ex * ex) / (nx - 1) + (ey * ey) / (ny - 1);
    df = denominator > 0 ? (ex + ey) ** 2 / denominator : nx + ny - 2;
  }
  return { diff: my - mx, se, df, pooled };
}

function tDiff(x: readonly number[], y: readonly number[], level: number): { diff: number; halfWidth: number; df: number; pooled: boolean } {
  const { diff, se, df, pooled } = tStatistic(x, y);
  const halfWidth = se > 0 ? studentQuantile((1 + level) / 2, df) * se : 0;
  return { diff, halfWidth, df, pooled };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (n − 1). */
function variance(values: readonly number[], center: number): number {
  let squares = 0;
  for (const v of values) squares += (v - center) ** 2;
  return squares / (values.length - 1);
}

/** P(T ≤ t) for Student's t with df degrees of freedom (df > 0, fractional allowed). */
export function studentCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The p quantile of Student's t (0 < p < 1, df > 0), by bisection on the exact CDF. */
export function studentQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'the t quantile\'s p and df', rule: `0 < p < 1 and df > 0; got p=${p}, df=${df}` });
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentQuantile(1 - p, df);
  let high = 1;
  while (studentCdf(high, df) < p) high *= 2;
  let low = 0;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (studentCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** I_x(a, b), the regularized incomplete beta function (Numerical Recipes' continued fraction). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let step = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 digits). */
function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = coefficients[0]!;
  for (let i = 1; i < 9; i++) sum += coefficients[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
