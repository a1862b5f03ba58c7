import { TunebenchError } from '../../../shared/errors.js';
import {
  AnalysisOptions,
  AnalysisOptionsSchema,
  AnalysisTarget,
  describeConfidence,
  describeSettings,
  Recommendation,
  SweepAnalysis,
} from '../../../shared/studies.js';
import type { MetricValue, Unit } from '../../../shared/metrics.js';
import type { SettingValue, SweepRecord } from '../../../shared/specs/sweep.js';
import { describeZodError } from '../../../shared/validation.js';
import { formatValue } from './report/format.js';
import { STABLE_WINDOW_MIN_ITEMS, STABLE_WINDOW_MIN_SEC } from '../../../shared/measured-window.js';
import { probabilityAbove, tMeanInterval } from './small-sample.js';

const LEVEL = 0.95;
/** A pick is decisive from this confidence on, with runs long enough for a stable figure. */
const DECISIVE_CONFIDENCE = 0.95;
/** Repeats per point recommended (2 give a t interval; 5 give a useful one), as Compare recommends per side. */
const RECOMMENDED_REPEATS = 5;
/** Summary keys that give a run's measured window in seconds, and its items (jobs, requests, queries). */
const WINDOW_SECONDS_KEYS = ['duration', 'measuredSec'];
const WINDOW_ITEMS_KEYS: ReadonlyArray<[key: string, noun: string]> = [
  ['measuredJobs', 'jobs'],
  ['requests', 'requests'],
  ['queries', 'queries'],
];

interface PointData {
  index: number;
  settings: Record<string, SettingValue>;
  /** Finished measured runs of the point. */
  runs: number;
  /**
   * Per-run values of every summary metric, aligned by run (NaN where a run
   * did not measure it).
   */
  values: Map<string, number[]>;
  /** Each finished run's measured window: seconds, and items when the kind counts them. */
  windows: Array<{ seconds: number; items?: { count: number; noun: string } }>;
}

/**
 * Reads a sweep as a recommendation with its evidence: every point's metrics
 * with Student's t intervals over repeats (valid at 2–5 repeats, where a
 * bootstrap of the values cannot reach beyond their range), the knee of the
 * throughput curve, and the best setting that meets a target.
 *
 * Confidence follows Compare's small-sample rule: Student's t on the per-run
 * values (their logs when positive), the smallest probability that the pick
 * beats a rival (the best: every other qualifying setting; the knee: every
 * smaller setting falls short of the knee's threshold and the knee is within
 * it of every other). Resampling two repeats would call any gap certain; t
 * with 1–2 degrees of freedom does not. A pick is decisive at 95% and with
 * runs long enough for a stable figure (shared/measured-window.ts);
 * otherwise the recommendation says what would make it so (more repeats,
 * longer runs). Nothing is named from fewer than two measured points, and no
 * confidence is claimed while a candidate point has a single repeat.
 */
export function analyzeSweep(sweep: SweepRecord, rawOptions: Partial<AnalysisOptions> = {}): SweepAnalysis {
  const parsed = AnalysisOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    throw new TunebenchError('TB_SCHEMA_INVALID', { what: 'analysis options', problems: describeZodError(parsed.error) });
  }
  const options = parsed.data;
  const { points, meta } = collect(sweep);
  const warnings: string[] = [];
  const metric = options.metric ?? defaultMetric(meta, 'higher');
  const latencyMetric = options.latencyMetric ?? defaultMetric(meta, 'lower', /p99/i);
  for (const name of [options.metric, options.latencyMetric, options.target?.metric]) {
    if (name && !meta.has(name)) {
      throw new TunebenchError('TB_UNKNOWN_METRIC', { metric: `"${name}"`, where: 'in this sweep', known: [...meta.keys()].join(', ') });
    }
  }
  const empty = points.filter((point) => !point.values.size);
  if (empty.length) warnings.push(`${empty.length} point(s) have no finished runs: ${empty.map((p) => describeSettings(p.settings)).join('; ')}.`);
  if (points.some((point) => point.values.size && point.runs < 2)) {
    warnings.push('Some points have fewer than 2 finished repeats: their error bars and the confidence below are weak.');
  }
  const short = shortWindow(points);
  if (short) {
    warnings.push(
      `Runs measured as little as ${short.text}: too short for a stable figure (at least ${STABLE_WINDOW_MIN_SEC} s and ${STABLE_WINDOW_MIN_ITEMS} items), so no recommendation is decisive; run them longer.`,
    );
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
  const labels = Object.fromEntries([...meta].flatMap(([name, value]) => (value.label ? [[name, value.label]] : [])));
  const knees =
    metric && sweep.spec.axes.length
      ? slices(sweep, points).map(({ slice, members }) => ({
          slice,
          ...kneeOf(members, metric, meta.get(metric)!, options, sweep.spec.axes[0]!.path, short),
        }))
      : [];
  // With one setting there is nothing to choose: the points table says everything.
  const best = metric && sweep.points.length > 1 ? { target: options.target ?? null, ...bestOf(points, metric, meta, options, short) } : null;
  if (!metric) warnings.push('No metric where higher is better was found; no knee or best setting can be named.');
  return { metric: metric ?? null, latencyMetric: latencyMetric ?? null, units, labels, points: analysedPoints, knees, best, warnings };
}

function collect(sweep: SweepRecord): { points: PointData[]; meta: Map<string, MetricValue> } {
  const meta = new Map<string, MetricValue>();
  const points: PointData[] = sweep.points.map((point) => ({ index: point.index, settings: point.settings, runs: 0, values: new Map(), windows: [] }));
  for (const entry of sweep.runs) {
    if (entry.repeat < 0 || entry.status !== 'completed') continue;
    const point = points[entry.point];
    if (!point) continue;
    const run = point.runs++;
    point.windows.push(measuredWindow(entry.summary, entry.durationMs));
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

/** A run's measured window: from its summary when the kind reports it, else the whole run. */
function measuredWindow(summary: Record<string, MetricValue>, durationMs: number): PointData['windows'][number] {
  const secondsKey = WINDOW_SECONDS_KEYS.find((key) => summary[key]?.unit === 's' && Number.isFinite(summary[key]!.value));
  const seconds = secondsKey ? summary[secondsKey]!.value : durationMs / 1000;
  const items = WINDOW_ITEMS_KEYS.find(([key]) => Number.isFinite(summary[key]?.value));
  return { seconds, ...(items ? { items: { count: summary[items[0]]!.value, noun: items[1] } } : {}) };
}

/** The shortest measured window when any run's is too short for a stable figure ("0.5 s and 120 jobs"). */
function shortWindow(points: readonly PointData[]): { text: string } | undefined {
  const windows = points.flatMap((point) => point.windows);
  if (!windows.length) return undefined;
  const seconds = Math.min(...windows.map((w) => w.seconds));
  const counted = windows.filter((w) => w.items);
  const fewest = counted.length ? counted.reduce((a, b) => (b.items!.count < a.items!.count ? b : a)).items! : undefined;
  const shortTime = seconds < STABLE_WINDOW_MIN_SEC;
  const fewItems = fewest !== undefined && fewest.count < STABLE_WINDOW_MIN_ITEMS;
  if (!shortTime && !fewItems) return undefined;
  const parts = [shortTime ? `${+seconds.toFixed(2)} s` : undefined, fewItems ? `${fewest.count} ${fewest.noun}` : undefined];
  return { text: parts.filter(Boolean).join(' and ') };
}

interface Judgement {
  confidence: number | null;
  decisive: boolean;
  toDecide: string[];
  sentence: string;
}

/**
 * How sure a pick is (Compare's rule: Student's t on per-run values), and
 * what would make it decisive. probabilities: the chance of each condition
 * the pick rests on (it beats this rival, ...); the confidence is the smallest.
 */
function judge(measured: PointData[], metric: string, probabilities: () => number[], choice: string, short: { text: string } | undefined): Judgement {
  const longer = short ? [`longer runs (measured windows as short as ${short.text}; at least ${STABLE_WINDOW_MIN_SEC} s and ${STABLE_WINDOW_MIN_ITEMS} items, several seconds better)`] : [];
  const single = measured.filter((point) => measuredCount(point, metric) < 2);
  if (single.length) {
    return {
      confidence: null,
      decisive: false,
      toDecide: [`more repeats (at least 2 per point, ${RECOMMENDED_REPEATS} recommended)`, ...longer],
      sentence: `Confidence cannot be estimated: ${single.map((p) => describeSettings(p.settings)).join('; ')} ${single.length === 1 ? 'has' : 'have'} a single finished repeat, and a t interval needs at least 2 per point.`,
    };
  }
  const chances = probabilities();
  const repeats = Math.min(...measured.map((point) => measuredCount(point, metric)));
  if (!chances.length) {
    return { confidence: null, decisive: false, toDecide: longer, sentence: `No other setting qualifies: there is nothing to weigh the ${choice} against.` };
  }
  const confidence = Math.min(...chances);
  const decisive = confidence >= DECISIVE_CONFIDENCE && !short;
  const toDecide: string[] = [];
  if (!decisive) {
    toDecide.push(...longer);
    if (repeats < RECOMMENDED_REPEATS) toDecide.push(`more repeats (${repeats} per point now, ${RECOMMENDED_REPEATS} recommended)`);
    if (confidence < DECISIVE_CONFIDENCE && repeats >= RECOMMENDED_REPEATS) {
      toDecide.push('the settings it is weighed against are within noise of it: more repeats, or settings further apart');
    }
  }
  const shown = describeConfidence(confidence).replace(/^confidence /, '');
  return {
    confidence,
    decisive,
    toDecide,
    sentence:
      `Confidence ${shown} that this ${choice} holds (Student's t on ${repeats}${repeats < Math.max(...measured.map((p) => measuredCount(p, metric))) ? ' or more' : ''} repeats per point, as Compare judges)` +
      (decisive ? '; decisive.' : `; not decisive. What would make it decisive: ${toDecide.join('; ')}.`),
  };
}

/** The chance that `chosen` beats `rival` by the factor `ratio` on a metric (higher or lower better). */
function chanceBeats(rival: PointData, chosen: PointData, metric: string, better: MetricValue['better'], ratio = 1): number {
  const a = finiteValues(rival, metric);
  const b = finiteValues(chosen, metric);
  return better === 'lower' ? 1 - probabilityAbove(a, b, ratio) : probabilityAbove(a, b, ratio);
}

function finiteValues(point: PointData, metric: string): number[] {
  return point.values.get(metric)?.filter(Number.isFinite) ?? [];
}

function kneeOf(
  members: PointData[],
  metric: string,
  reference: MetricValue,
  options: AnalysisOptions,
  axisPath: string,
  short: { text: string } | undefined,
): Recommendation {
  const measured = measuredPoints(members, metric);
  if (measured.length < 2) return notEnoughPoints(measured, metric);
  const knee = pickKnee(measured, metric, reference.better, options.kneePct, observedMean)!;
  const bestPoint = pickKnee(members, metric, reference.better, 0, observedMean)!;
  const k = options.kneePct / 100;
  const lower = reference.better === 'lower';
  const judgement = judge(
    measured,
    metric,
    () => {
      const before = measured.slice(0, measured.indexOf(knee));
      // Every smaller setting falls short of the knee's threshold (k of the best) ...
      const shortOf = before.map((point) => chanceBeats(point, bestPoint, metric, reference.better, lower ? 1 / (1 + k) : 1 / (1 - k)));
      // ... and the knee is within k of every other setting.
      const within = measured
        .filter((point) => point !== knee && !before.includes(point))
        .map((point) => chanceBeats(point, knee, metric, reference.better, lower ? 1 + k : 1 - k));
      return [...shortOf, ...within];
    },
    'knee',
    short,
  );
  const show = (point: PointData) => formatValue(observedMean(point, metric), reference.unit);
  const evidence = [
    `${metric} at ${describeSettings(knee.settings)} is ${show(knee)}, within ${options.kneePct}% of the best, ${show(bestPoint)} at ${describeSettings(bestPoint.settings)}.`,
  ];
  const smaller = members.slice(0, members.indexOf(knee)).filter((point) => observedMean(point, metric) !== undefined);
  if (smaller.length) {
    evidence.push(`Smaller ${axisPath} settings reach ${smaller.map((p) => `${show(p)} (${String(p.settings[axisPath])})`).join(', ')}.`);
  }
  evidence.push(judgement.sentence);
  return recommendation(knee, judgement, evidence);
}

function recommendation(point: PointData, judgement: Judgement, evidence: string[]): Recommendation {
  return {
    point: point.index,
    settings: point.settings,
    confidence: judgement.confidence,
    decisive: judgement.decisive,
    ...(judgement.toDecide.length ? { toDecide: judgement.toDecide } : {}),
    evidence,
  };
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

function bestOf(points: PointData[], metric: string, meta: Map<string, MetricValue>, options: AnalysisOptions, short: { text: string } | undefined): Recommendation {
  const reference = meta.get(metric)!;
  const { target } = options;
  const measured = measuredPoints(points, metric);
  if (measured.length < 2) return notEnoughPoints(measured, metric);
  const best = pickBest(measured, metric, reference.better, target, observedMean);
  const targetText = target ? `${target.metric} ${target.op} ${formatValue(target.value, meta.get(target.metric)!.unit)}` : '';
  if (!best) return { point: null, settings: null, confidence: null, evidence: [`No setting met ${targetText}.`] };
  const rivals = measured.filter((point) => point !== best && (!target || meets(observedMean(point, target.metric), target)));
  const judgement = judge(
    [best, ...rivals],
    metric,
    () => rivals.map((rival) => chanceBeats(rival, best, metric, reference.better)),
    'setting',
    short,
  );
  const evidence = [
    `${describeSettings(best.settings)} gives the best ${metric}: ${formatValue(observedMean(best, metric), reference.unit)}` +
      (target ? ` among the settings that meet ${targetText} (it measured ${formatValue(observedMean(best, target.metric), meta.get(target.metric)!.unit)}).` : '.'),
  ];
  if (target) {
    const failing = points.filter((point) => point.values.size && !meets(observedMean(point, target.metric), target));
    if (failing.length) evidence.push(`Not meeting ${targetText}: ${failing.map((p) => describeSettings(p.settings)).join('; ')}.`);
  }
  evidence.push(judgement.sentence);
  return recommendation(best, judgement, evidence);
}
