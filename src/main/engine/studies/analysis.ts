import { TunebenchError } from '../../../shared/errors.js';
import {
  AnalysisOptions,
  AnalysisOptionsSchema,
  AnalysisTarget,
  describeSettings,
  Recommendation,
  SweepAnalysis,
} from '../../../shared/studies.js';
import type { MetricValue, Unit } from '../../../shared/metrics.js';
import { SeededRandom } from '../../../shared/random.js';
import type { SettingValue, SweepRecord } from '../../../shared/specs/sweep.js';
import { describeZodError } from '../../../shared/validation.js';
import { formatValue } from './report/format.js';
import { tMeanInterval } from './small-sample.js';

const RESAMPLES = 1_000;
const LEVEL = 0.95;

interface PointData {
  index: number;
  settings: Record<string, SettingValue>;
  /** Finished measured runs of the point. */
  runs: number;
  /**
   * Per-run values of every summary metric, aligned by run (NaN where a run
   * did not measure it), so a resample can pick the same runs for every metric.
   */
  values: Map<string, number[]>;
}

/**
 * Reads a sweep as a recommendation with its evidence: every point's metrics
 * with Student's t intervals over repeats (valid at 2–5 repeats, where a
 * bootstrap of the values cannot reach beyond their range), the knee of the
 * throughput curve, and the best setting that meets a target. Confidence is
 * the share of bootstrap resamples of the repeats that pick the same point;
 * a resample picks runs, not values, so every metric of a point (the
 * objective and the target's metric) comes from the same runs. Nothing is
 * named from fewer than two measured points, and no confidence is claimed
 * while a candidate point has a single repeat.
 */
export function analyzeSweep(sweep: SweepRecord, rawOptions: Partial<AnalysisOptions> = {}): SweepAnalysis {
  const parsed = AnalysisOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    throw new TunebenchError('TB_INVALID_OPTION', { detail: `analysis options: ${describeZodError(parsed.error)}` });
  }
  const options = parsed.data;
  const { points, meta } = collect(sweep);
  const warnings: string[] = [];
  const metric = options.metric ?? defaultMetric(meta, 'higher');
  const latencyMetric = options.latencyMetric ?? defaultMetric(meta, 'lower', /p99/i);
  for (const name of [options.metric, options.latencyMetric, options.target?.metric]) {
    if (name && !meta.has(name)) {
      throw new TunebenchError('TB_INVALID_OPTION', {
        detail: `no metric "${name}" in this sweep; metrics: ${[...meta.keys()].join(', ')}`,
      });
    }
  }
  const empty = points.filter((point) => !point.values.size);
  if (empty.length) warnings.push(`${empty.length} point(s) have no finished runs: ${empty.map((p) => describeSettings(p.settings)).join('; ')}.`);
  if (points.some((point) => point.values.size && point.runs < 2)) {
    warnings.push('Some points have fewer than 2 finished repeats: their error bars and the confidence below are weak.');
  }

  const analysedPoints = points.map((point) => ({
    index: point.index,
    settings: point.settings,
    metrics: Object.fromEntries(
      [...point.values].map(([name, values]) => {
        const measured = values.filter(Number.isFinite);
        const { estimate, interval } = tMeanInterval(measured, LEVEL);
        return [name, { mean: estimate, low: interval.low, high: interval.high, n: measured.length }];
      }),
    ),
  }));

  const units = Object.fromEntries([...meta].map(([name, value]) => [name, value.unit])) as Record<string, Unit>;
  const knees =
    metric && sweep.spec.axes.length
      ? slices(sweep, points).map(({ slice, members }) => ({
          slice,
          ...kneeOf(members, metric, meta.get(metric)!, options, sweep.spec.axes[0]!.path),
        }))
      : [];
  // With one setting there is nothing to choose: the points table says everything.
  const best = metric && sweep.points.length > 1 ? { target: options.target ?? null, ...bestOf(points, metric, meta, options) } : null;
  if (!metric) warnings.push('No metric where higher is better was found; no knee or best setting can be named.');
  return { metric: metric ?? null, latencyMetric: latencyMetric ?? null, units, points: analysedPoints, knees, best, warnings };
}

function collect(sweep: SweepRecord): { points: PointData[]; meta: Map<string, MetricValue> } {
  const meta = new Map<string, MetricValue>();
  const points: PointData[] = sweep.points.map((point) => ({ index: point.index, settings: point.settings, runs: 0, values: new Map() }));
  for (const entry of sweep.runs) {
    if (entry.repeat < 0 || entry.status !== 'completed') continue;
    const point = points[entry.point];
    if (!point) continue;
    const run = point.runs++;
    for (const [name, value] of Object.entries(entry.summary)) {
      if (!Number.isFinite(value.value)) continue;
      if (!meta.has(name)) meta.set(name, value);
      const list = point.values.get(name) ?? [];
      while (list.length < run) list.push(Number.NaN);
      list.push(value.value);
      point.values.set(name, list);
    }
  }
  for (const point of points) for (const list of point.values.values()) while (list.length < point.runs) list.push(Number.NaN);
  return { points, meta };
}

function defaultMetric(meta: Map<string, MetricValue>, better: 'higher' | 'lower', prefer?: RegExp): string | undefined {
  const candidates = [...meta].filter(([, value]) => value.better === better).map(([name]) => name);
  if (better === 'higher' && candidates.includes('throughput')) return 'throughput';
  return (prefer && candidates.find((name) => prefer.test(name))) ?? candidates[0];
}

/** Groups points by the second axis' value (one slice when there is one axis), ordered along the first axis. */
function slices(sweep: SweepRecord, points: PointData[]): Array<{ slice: string; members: PointData[] }> {
  const [first, second] = sweep.spec.axes;
  const order = (point: PointData) => sortKey(point.settings[first!.path], first!.values);
  const bySlice = new Map<string, PointData[]>();
  for (const point of points) {
    const slice = second ? `${second.path}=${String(point.settings[second.path])}` : 'all';
    bySlice.set(slice, [...(bySlice.get(slice) ?? []), point]);
  }
  return [...bySlice].map(([slice, members]) => ({ slice, members: members.sort((a, b) => order(a) - order(b)) }));
}

/** Numbers sort by value ("smallest setting"); other values keep the order the user listed them in. */
function sortKey(value: SettingValue | undefined, listed: SettingValue[]): number {
  return typeof value === 'number' ? value : listed.indexOf(value as SettingValue);
}

type Means = (point: PointData, name: string) => number | undefined;

/** Mean of the runs that measured the metric (picked: those runs, by index, repeats allowed). */
function meanOf(values: readonly number[], picked?: ArrayLike<number>): number | undefined {
  let sum = 0;
  let count = 0;
  const n = picked ? picked.length : values.length;
  for (let i = 0; i < n; i++) {
    const value = values[picked ? picked[i]! : i]!;
    if (!Number.isFinite(value)) continue;
    sum += value;
    count++;
  }
  return count ? sum / count : undefined;
}

function measuredCount(point: PointData, name: string): number {
  return point.values.get(name)?.filter(Number.isFinite).length ?? 0;
}

const observedMean: Means = (point, name) => {
  const values = point.values.get(name);
  return values ? meanOf(values) : undefined;
};

/**
 * Resampled means of every point, one resample per call. Each point draws
 * one vector of run indices per resample and every metric is averaged over
 * those runs: a target on p99 and the throughput it is traded against come
 * from the same runs, as they were measured together.
 */
function resampledMeans(random: SeededRandom): Means {
  const picks = new Map<number, Int32Array>();
  return (point, name) => {
    const values = point.values.get(name);
    if (!values || !point.runs) return undefined;
    let picked = picks.get(point.index);
    if (!picked) {
      picked = new Int32Array(point.runs);
      for (let i = 0; i < picked.length; i++) picked[i] = random.int(point.runs);
      picks.set(point.index, picked);
    }
    // Every picked run missed this metric: keep its observed mean rather than drop the point.
    return meanOf(values, picked) ?? meanOf(values);
  };
}

function pickKnee(members: PointData[], metric: string, better: MetricValue['better'], kneePct: number, means: Means): PointData | undefined {
  const scored = members.map((point) => ({ point, value: means(point, metric) })).filter((s) => s.value !== undefined);
  if (!scored.length) return undefined;
  const lowerIsBetter = better === 'lower';
  const best = scored.reduce((a, b) => ((lowerIsBetter ? b.value! < a.value! : b.value! > a.value!) ? b : a)).value!;
  const threshold = lowerIsBetter ? best * (1 + kneePct / 100) : best * (1 - kneePct / 100);
  return scored.find((s) => (lowerIsBetter ? s.value! <= threshold : s.value! >= threshold))?.point;
}

/** Points with at least one finished run that measured the metric. */
function measuredPoints(points: PointData[], metric: string): PointData[] {
  return points.filter((point) => observedMean(point, metric) !== undefined);
}

function notEnoughPoints(measured: PointData[], metric: string): Recommendation {
  const evidence = measured.length
    ? `Not enough points: only ${describeSettings(measured[0]!.settings)} has finished runs that measured ${metric}; a recommendation compares at least 2 points.`
    : `No finished runs measured ${metric}.`;
  return { point: null, settings: null, confidence: null, evidence: [evidence] };
}

/**
 * The bootstrap agreement, or null (with the reason) when a candidate has a
 * single repeat: resampling one value always returns it, so agreement would
 * read as certainty that was never measured.
 */
function confidenceOf(measured: PointData[], metric: string, estimate: () => number, choice: string): { confidence: number | null; sentence: string } {
  const single = measured.filter((point) => measuredCount(point, metric) < 2);
  if (single.length) {
    return {
      confidence: null,
      sentence: `Confidence cannot be estimated: ${single.map((p) => describeSettings(p.settings)).join('; ')} ${single.length === 1 ? 'has' : 'have'} a single finished repeat, and the bootstrap needs at least 2 per point.`,
    };
  }
  const confidence = estimate();
  return { confidence, sentence: `${Math.round(confidence * 100)}% of ${RESAMPLES} bootstrap resamples of the repeats pick the same ${choice}.` };
}

function kneeOf(members: PointData[], metric: string, reference: MetricValue, options: AnalysisOptions, axisPath: string): Recommendation {
  const measured = measuredPoints(members, metric);
  if (measured.length < 2) return notEnoughPoints(measured, metric);
  const knee = pickKnee(measured, metric, reference.better, options.kneePct, observedMean)!;
  const { confidence, sentence } = confidenceOf(
    measured,
    metric,
    () => agreement(options.seed, (means) => pickKnee(measured, metric, reference.better, options.kneePct, means), knee),
    'knee',
  );
  const bestPoint = pickKnee(members, metric, reference.better, 0, observedMean)!;
  const show = (point: PointData) => formatValue(observedMean(point, metric), reference.unit);
  const evidence = [
    `${metric} at ${describeSettings(knee.settings)} is ${show(knee)}, within ${options.kneePct}% of the best, ${show(bestPoint)} at ${describeSettings(bestPoint.settings)}.`,
  ];
  const smaller = members.slice(0, members.indexOf(knee)).filter((point) => observedMean(point, metric) !== undefined);
  if (smaller.length) {
    evidence.push(`Smaller ${axisPath} settings reach ${smaller.map((p) => `${show(p)} (${String(p.settings[axisPath])})`).join(', ')}.`);
  }
  evidence.push(sentence);
  return { point: knee.index, settings: knee.settings, confidence, evidence };
}

function meets(value: number | undefined, target: AnalysisTarget): boolean {
  if (value === undefined) return false;
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
  }
}

function pickBest(points: PointData[], metric: string, better: MetricValue['better'], target: AnalysisTarget | undefined, means: Means) {
  const eligible = points.filter((point) => means(point, metric) !== undefined && (!target || meets(means(point, target.metric), target)));
  if (!eligible.length) return undefined;
  const sign = better === 'lower' ? -1 : 1;
  return eligible.reduce((a, b) => (sign * means(b, metric)! > sign * means(a, metric)! ? b : a));
}

function bestOf(points: PointData[], metric: string, meta: Map<string, MetricValue>, options: AnalysisOptions): Recommendation {
  const reference = meta.get(metric)!;
  const { target } = options;
  const measured = measuredPoints(points, metric);
  if (measured.length < 2) return notEnoughPoints(measured, metric);
  const best = pickBest(measured, metric, reference.better, target, observedMean);
  const targetText = target ? `${target.metric} ${target.op} ${formatValue(target.value, meta.get(target.metric)!.unit)}` : '';
  if (!best) return { point: null, settings: null, confidence: null, evidence: [`No setting met ${targetText}.`] };
  const { confidence, sentence } = confidenceOf(
    measured,
    metric,
    () => agreement(options.seed + 1, (means) => pickBest(measured, metric, reference.better, target, means), best),
    'setting',
  );
  const evidence = [
    `${describeSettings(best.settings)} gives the best ${metric}: ${formatValue(observedMean(best, metric), reference.unit)}` +
      (target ? ` among the settings that meet ${targetText} (it measured ${formatValue(observedMean(best, target.metric), meta.get(target.metric)!.unit)}).` : '.'),
  ];
  if (target) {
    const failing = points.filter((point) => point.values.size && !meets(observedMean(point, target.metric), target));
    if (failing.length) evidence.push(`Not meeting ${targetText}: ${failing.map((p) => describeSettings(p.settings)).join('; ')}.`);
  }
  evidence.push(sentence);
  return { point: best.index, settings: best.settings, confidence, evidence };
}

function agreement(seed: number, pick: (means: Means) => PointData | undefined, chosen: PointData): number {
  const random = new SeededRandom(seed);
  let same = 0;
  for (let i = 0; i < RESAMPLES; i++) if (pick(resampledMeans(random))?.index === chosen.index) same++;
  return same / RESAMPLES;
}
