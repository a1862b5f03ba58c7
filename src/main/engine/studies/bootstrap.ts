import { TunebenchError } from '../../../shared/errors.js';
import type { Interval } from '../../../shared/studies.js';
import { SeededRandom } from '../../../shared/random.js';

/** A statistic of a sample: its mean, or a quantile q in (0, 1]. */
export type Statistic = { kind: 'mean' } | { kind: 'quantile'; q: number };

export const MEAN: Statistic = { kind: 'mean' };
export const quantile = (q: number): Statistic => ({ kind: 'quantile', q });

export interface BootstrapOptions {
  resamples: number;
  seed: number;
  /** Confidence level of the interval, e.g. 0.95. */
  level: number;
  /**
   * Resample runs of consecutive values instead of single values (a block
   * bootstrap). Per-request latencies are correlated in time — one burst of
   * contention slows many neighbours — and resampling them one by one would
   * claim far more certainty than one run holds.
   */
  blocks?: number;
  /**
   * Widen the interval for small samples (Hesterberg's expanded percentile
   * interval): with a handful of repeats the plain percentile interval is far
   * too narrow, and noise would be called an effect.
   */
  expandSmallSamples?: boolean;
}

/** Fewer values than this per block and a sample is resampled value by value. */
const MIN_BLOCK_SIZE = 5;

/**
 * Above this many values a resampled mean is drawn from its normal limit
 * (mean ± s/√n · z) instead of summing n draws: with thousands of values the
 * two distributions are indistinguishable, and it keeps a 100,000-sample
 * comparison interactive.
 */
export const EXACT_MEAN_LIMIT = 5_000;

export interface BootstrapResult {
  estimate: number;
  interval: Interval;
}

export interface DifferenceResult {
  baseline: number;
  candidate: number;
  diff: number;
  relDiff: number | null;
  ci: Interval;
  relCi: Interval | null;
}

/** Percentile-bootstrap interval of one statistic of one sample. */
export function bootstrapInterval(values: readonly number[], statistic: Statistic, options: BootstrapOptions): BootstrapResult {
  const sampler = createResampler(values, statistic, new SeededRandom(options.seed), options.blocks);
  const draws = new Float64Array(checkedResamples(options.resamples));
  for (let i = 0; i < draws.length; i++) draws[i] = sampler.draw();
  const level = options.expandSmallSamples ? expandedLevel(options.level, values.length) : options.level;
  return { estimate: sampler.estimate, interval: percentileInterval(draws, level) };
}

/**
 * Interval of candidate − baseline (and of the relative change) by resampling
 * each side independently, so each side's own spread counts.
 */
export function bootstrapDifference(
  baseline: readonly number[],
  candidate: readonly number[],
  statistic: Statistic,
  options: BootstrapOptions,
): DifferenceResult {
  const random = new SeededRandom(options.seed);
  const a = createResampler(baseline, statistic, random, options.blocks);
  const b = createResampler(candidate, statistic, random, options.blocks);
  const count = checkedResamples(options.resamples);
  const diffs = new Float64Array(count);
  const ratios = new Float64Array(count);
  let ratiosDefined = a.estimate !== 0;
  for (let i = 0; i < count; i++) {
    const drawA = a.draw();
    const drawB = b.draw();
    diffs[i] = drawB - drawA;
    if (drawA === 0) ratiosDefined = false;
    else ratios[i] = drawB / drawA - 1;
  }
  const level = options.expandSmallSamples ? expandedLevel(options.level, Math.min(baseline.length, candidate.length)) : options.level;
  return {
    baseline: a.estimate,
    candidate: b.estimate,
    diff: b.estimate - a.estimate,
    relDiff: a.estimate !== 0 ? b.estimate / a.estimate - 1 : null,
    ci: percentileInterval(diffs, level),
    relCi: ratiosDefined ? percentileInterval(ratios, level) : null,
  };
}

/** The statistic itself, by the same definition the resampler uses (nearest-rank quantiles). */
export function computeStatistic(values: readonly number[], statistic: Statistic): number {
  if (values.length === 0) return Number.NaN;
  if (statistic.kind === 'mean') return mean(values);
  const sorted = sortedOf(values);
  return sorted[rank(sorted.length, statistic.q) - 1]!;
}

// One sample is asked for its mean, p50, p90 and p99 in turn; sorting it once serves them all.
const sortedCache = new WeakMap<readonly number[], Float64Array>();

function sortedOf(values: readonly number[]): Float64Array {
  let sorted = sortedCache.get(values);
  if (!sorted) {
    sorted = Float64Array.from(values).sort();
    sortedCache.set(values, sorted);
  }
  return sorted;
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

interface Resampler {
  readonly estimate: number;
  draw(): number;
}

function createResampler(values: readonly number[], statistic: Statistic, random: SeededRandom, blocks?: number): Resampler {
  checkSample(values, statistic);
  const count = blocks ? Math.min(blocks, Math.floor(values.length / MIN_BLOCK_SIZE)) : 0;
  return count >= 2 ? new BlockResampler(values, statistic, random, count) : new ItemResampler(values, statistic, random);
}

function checkSample(values: readonly number[], statistic: Statistic): void {
  if (values.length === 0) throw new TunebenchError('TB_NOT_ENOUGH_DATA', { what: 'bootstrap', needed: 'at least one value' });
  if (statistic.kind === 'quantile' && !(statistic.q > 0 && statistic.q <= 1)) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'quantile', rule: `in (0, 1]; got ${statistic.q}` });
  }
}

/** Draws bootstrap replicates of one statistic of one sample, value by value. */
class ItemResampler implements Resampler {
  readonly estimate: number;
  private readonly values: Float64Array;
  private readonly k: number;
  private readonly standardError: number;

  constructor(
    values: readonly number[],
    private readonly statistic: Statistic,
    private readonly random: SeededRandom,
  ) {
    this.values = statistic.kind === 'quantile' ? sortedOf(values) : Float64Array.from(values);
    this.k = statistic.kind === 'quantile' ? rank(values.length, statistic.q) : 0;
    this.estimate = statistic.kind === 'quantile' ? this.values[this.k - 1]! : mean(this.values);
    this.standardError = statistic.kind === 'mean' ? standardDeviation(this.values, this.estimate) / Math.sqrt(values.length) : 0;
  }

  draw(): number {
    const n = this.values.length;
    if (this.statistic.kind === 'quantile') {
      // The k-th smallest of n resampled values is the value at index ⌈n·U(k)⌉,
      // where U(k) ~ Beta(k, n−k+1) is the k-th smallest of n uniforms: an exact
      // draw from the bootstrap distribution of the quantile in O(1).
      if (n === 1) return this.values[0]!;
      const u = this.random.beta(this.k, n - this.k + 1);
      return this.values[Math.min(n - 1, Math.max(0, Math.ceil(n * u) - 1))]!;
    }
    if (n > EXACT_MEAN_LIMIT) return this.estimate + this.standardError * this.random.normal();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.values[this.random.int(n)]!;
    return sum / n;
  }
}

/** Grid points for block quantiles: exact up to this many values, rank steps of n / GRID_MAX beyond. */
const GRID_MAX = 8_192;

/**
 * Splits the sample, in the order it was recorded, into contiguous blocks and
 * draws replicates from resampled blocks. Means come from block sums. For
 * quantiles each block keeps its cumulative count at every point of a grid
 * over the pooled sorted values; a replicate's quantile is then a binary
 * search over the grid summing the chosen blocks' counts: O(k · log grid).
 */
interface BlockLayout {
  sizes: Int32Array;
  sums: Float64Array;
  grid: Float64Array;
  /** counts[block * grid.length + g]: values of the block at most grid[g]. */
  counts: Int32Array;
}

const layoutCache = new WeakMap<readonly number[], Map<number, BlockLayout>>();

/** The blocks of one sample, shared by every statistic asked of it. */
function blockLayout(values: readonly number[], count: number): BlockLayout {
  const byCount = layoutCache.get(values) ?? new Map<number, BlockLayout>();
  layoutCache.set(values, byCount);
  const cached = byCount.get(count);
  if (cached) return cached;
  const pooled = sortedOf(values);
  const gridSize = Math.min(pooled.length, GRID_MAX);
  const layout: BlockLayout = {
    sizes: new Int32Array(count),
    sums: new Float64Array(count),
    grid: new Float64Array(gridSize),
    counts: new Int32Array(count * gridSize),
  };
  for (let g = 0; g < gridSize; g++) layout.grid[g] = pooled[Math.floor(((g + 1) * pooled.length) / gridSize) - 1]!;
  for (let block = 0; block < count; block++) {
    const from = Math.floor((block * values.length) / count);
    const to = Math.floor(((block + 1) * values.length) / count);
    const part = Float64Array.from(values.slice(from, to)).sort();
    layout.sizes[block] = part.length;
    layout.sums[block] = part.reduce((sum, v) => sum + v, 0);
    let below = 0;
    for (let g = 0; g < gridSize; g++) {
      while (below < part.length && part[below]! <= layout.grid[g]!) below++;
      layout.counts[block * gridSize + g] = below;
    }
  }
  byCount.set(count, layout);
  return layout;
}

class BlockResampler implements Resampler {
  readonly estimate: number;
  private readonly sizes: Int32Array;
  private readonly sums: Float64Array;
  private readonly grid: Float64Array;
  private readonly counts: Int32Array;
  private readonly chosen: Int32Array;

  constructor(
    values: readonly number[],
    private readonly statistic: Statistic,
    private readonly random: SeededRandom,
    count: number,
  ) {
    this.estimate = computeStatistic(values, statistic);
    ({ sizes: this.sizes, sums: this.sums, grid: this.grid, counts: this.counts } = blockLayout(values, count));
    this.chosen = new Int32Array(count);
  }

  draw(): number {
    const count = this.sizes.length;
    let total = 0;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const block = this.random.int(count);
      this.chosen[i] = block;
      total += this.sizes[block]!;
      sum += this.sums[block]!;
    }
    if (this.statistic.kind === 'mean') return sum / total;
    const target = rank(total, this.statistic.q);
    const gridSize = this.grid.length;
    let low = 0;
    let high = gridSize - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      let atMost = 0;
      for (let i = 0; i < count; i++) atMost += this.counts[this.chosen[i]! * gridSize + middle]!;
      if (atMost >= target) high = middle;
      else low = middle + 1;
    }
    return this.grid[low]!;
  }
}

/**
 * The percentile level that makes a bootstrap interval of n values as wide as
 * a t interval: z' = √(n/(n−1)) · t(level, n−1) (Hesterberg 2015, "What
 * teachers should know about the bootstrap").
 */
export function expandedLevel(level: number, n: number): number {
  if (n < 2) return level;
  const z = normalQuantile((1 + level) / 2);
  const widened = Math.sqrt(n / (n - 1)) * studentQuantile(z, n - 1);
  return 1 - 2 * normalTail(widened);
}

/** Student's t quantile from the normal one (Cornish–Fisher; within ~2% for 2+ degrees of freedom). */
function studentQuantile(z: number, df: number): number {
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z ** 9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

/** P(Z > z) for a standard normal, by the complementary error function (Numerical Recipes' erfc). */
function normalTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const erfc =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function rank(n: number, q: number): number {
  return Math.min(n, Math.max(1, Math.ceil(q * n)));
}

function standardDeviation(values: Float64Array, center: number): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - center) ** 2;
  // The bootstrap's own variance uses n, not n − 1.
  return Math.sqrt(squares / values.length);
}

function percentileInterval(draws: Float64Array, level: number): Interval {
  draws.sort();
  const tail = (1 - level) / 2;
  return { low: interpolate(draws, tail), high: interpolate(draws, 1 - tail) };
}

function interpolate(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

function checkedResamples(resamples: number): number {
  if (!Number.isInteger(resamples) || resamples < 10 || resamples > 100_000) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'resamples', rule: `an integer from 10 to 100000; got ${resamples}` });
  }
  return resamples;
}
