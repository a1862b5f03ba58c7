import { TunebenchError } from '../../../shared/errors.js';
import {
  CompareOptions,
  CompareOptionsSchema,
  Comparison,
  INDICATIVE_LABEL,
  ComparisonRow,
  ComparisonSide,
} from '../../../shared/studies.js';
import type { MetricValue, Unit } from '../../../shared/metrics.js';
import type { RunRecord } from '../../../shared/run-record.js';
import { describeZodError } from '../../../shared/validation.js';
import { BootstrapOptions, bootstrapDifference, computeStatistic, MEAN, quantile, Statistic } from './bootstrap.js';
import { noiseBlocksVerdict } from './noise-gate.js';
import { smallSampleDifference } from './small-sample.js';
import { comparisonVerdict } from './verdict.js';

/** One side of a comparison: one run, or the repeats of one setting. */
export interface CompareGroup {
  label: string;
  runs: RunRecord[];
}

/** Statistics compared for every per-item distribution: latency is judged on its tail, not only its mean. */
const DISTRIBUTION_STATISTICS: ReadonlyArray<{ name: string; statistic: Statistic }> = [
  { name: 'mean', statistic: MEAN },
  { name: 'p50', statistic: quantile(0.5) },
  { name: 'p90', statistic: quantile(0.9) },
  { name: 'p99', statistic: quantile(0.99) },
];

/**
 * Runs a side needs before its run-to-run spread can be measured. With at
 * least this many on one side (and one on the other) every metric is judged on
 * one value per run with a t interval (see small-sample.ts); with a single run
 * per side only within-run noise is left, and the verdict is indicative.
 */
export const MIN_REPEATS = 2;

/**
 * A percentile gets an interval only when at least this many items per side
 * lie beyond it: the bootstrap cannot judge a p99 of 60 items (it is their
 * maximum), so p99 needs 500 items, p90 needs 50.
 */
export const MIN_TAIL_ITEMS = 5;

/** Blocks of consecutive items per run in the per-item bootstrap (see BootstrapOptions.blocks). */
const ITEM_BLOCKS = 20;

const TIME_UNITS: ReadonlySet<Unit> = new Set(['ms', 's', 'us']);

/** Per-run values can be judged: a spread is measured on at least one side. */
function perRunJudged(a: number, b: number): boolean {
  return a >= 1 && b >= 1 && Math.max(a, b) >= MIN_REPEATS;
}

/**
 * Compares two groups of runs, metric by metric, each metric once.
 *
 * With repeats (2 or more runs on a side), every metric — summary values and
 * the mean and percentiles of each per-item distribution — is computed once
 * per run and judged on those per-run values with a small-sample t interval:
 * the variation between runs is the noise that matters, and pooling the items
 * of several runs as if independent would hide it. With one run per side only
 * the per-item values are left: a block bootstrap in time order, labelled
 * indicative; whole-run metrics get no interval then.
 *
 * A percentile a kind reports in its summary (waitP99, latency.p99) and the
 * same percentile of its per-item distribution (waitMs, latency) are one row
 * under the summary's name: its per-run values are the summary's (exact over
 * every item), its single-run interval comes from the items. Statistics only
 * the items give (a mean, p90) are named in the summary's style (waitMean);
 * the names they had before stay accepted as the row's aliases.
 *
 * Runs of different kinds are refused (TB_COMPARE_KINDS): their metrics
 * measure different things even where the names match.
 */
export function compareGroups(
  baseline: CompareGroup,
  candidate: CompareGroup,
  rawOptions: Partial<CompareOptions> = {},
  /**
   * allowNoisy: judge the intervals even when the machine was busy (the CLI's --allow-noisy); the comparison says so.
   * objective: the metric the verdict is on (default: the kind's, see DEFAULT_OBJECTIVES).
   */
  { allowNoisy = false, objective }: { allowNoisy?: boolean; objective?: string | undefined } = {},
): Comparison {
  const parsedOptions = CompareOptionsSchema.safeParse(rawOptions);
  if (!parsedOptions.success) {
    throw new TunebenchError('TB_SCHEMA_INVALID', { what: 'compare options', problems: describeZodError(parsedOptions.error) });
  }
  const options = parsedOptions.data;
  for (const group of [baseline, candidate]) {
    if (group.runs.length === 0) throw new TunebenchError('TB_NOT_ENOUGH_DATA', { what: `"${group.label}"`, needed: 'at least one run' });
  }
  refuseMixedKinds(baseline, candidate);
  const rows: ComparisonRow[] = [];
  const rowOptions = () => ({ resamples: options.resamples, level: options.level, seed: options.seed + rows.length });

  for (const source of metricSources(baseline.runs, candidate.runs)) {
    const aliases = source.aliases.length ? { aliases: source.aliases } : {};
    const item = source.items;
    const perRunA = perRunValues(baseline.runs, source);
    const perRunB = perRunValues(candidate.runs, source);
    if (perRunJudged(perRunA.length, perRunB.length)) {
      // With repeats, the spread between runs is the honest noise; pooling items would hide it.
      rows.push({ ...compareSamples(source.describe, perRunA, perRunB, 'per-repeat', rowOptions(), options), ...aliases });
      continue;
    }
    const itemsA = item ? firstItems(baseline.runs, item.distribution) : [];
    const itemsB = item ? firstItems(candidate.runs, item.distribution) : [];
    if (item && itemsA.length && itemsB.length) {
      // One run a side (at most): its items, in time order, are all there is.
      const { statistic } = item;
      const tail = statistic.kind === 'quantile' ? 1 - statistic.q : 1;
      const basis = Math.min(itemsA.length, itemsB.length) * tail >= MIN_TAIL_ITEMS ? 'per-item' : 'none';
      rows.push({ ...compareSamples(source.describe, itemsA, itemsB, basis, { ...rowOptions(), blocks: ITEM_BLOCKS }, options, statistic), ...aliases });
    } else {
      rows.push({ ...compareSamples(source.describe, perRunA, perRunB, 'none', rowOptions(), options), ...aliases });
    }
  }

  // A busy machine measured the other processes as much as the settings: no verdict then.
  const noise = noiseBlocksVerdict(baseline.runs, candidate.runs);
  const inconclusive = noise.blocked && !allowNoisy;
  const warnings = comparisonWarnings(baseline, candidate);
  if (noise.blocked && allowNoisy) {
    const busy = noise.reason.replace(/^inconclusive: /, '');
    warnings.push(`${busy[0]!.toUpperCase()}${busy.slice(1)}; judged anyway (allow noisy): differences may be the other processes', not the settings'.`);
  }
  const comparison: Comparison = {
    baseline: describeSide(baseline),
    candidate: describeSide(candidate),
    options,
    rows: inconclusive ? rows.map(asInconclusive) : rows,
    specChanges: specChanges(baseline.runs[0]!.spec, candidate.runs[0]!.spec),
    warnings,
    indicative: !perRunJudged(baseline.runs.length, candidate.runs.length),
    noise,
    ...(inconclusive ? { inconclusive: noise.reason } : {}),
  };
  return {
    ...comparison,
    verdict: comparisonVerdict(comparison, {
      objective,
      shortRuns: shortRunsOf([...baseline.runs, ...candidate.runs]),
      repeats: Math.min(baseline.runs.length, candidate.runs.length),
    }),
  };
}

/** Both sides' runs must be of one kind: a pool's throughput and a load run's are different quantities. */
function refuseMixedKinds(baseline: CompareGroup, candidate: CompareGroup): void {
  const kindsOf = (group: CompareGroup) => [...new Set(group.runs.map((run) => run.kind))];
  for (const group of [baseline, candidate]) {
    const kinds = kindsOf(group);
    if (kinds.length > 1) {
      throw new TunebenchError('TB_COMPARE_KINDS', { detail: `"${group.label}" mixes ${kinds.join(' and ')} runs` });
    }
  }
  const [a] = kindsOf(baseline);
  const [b] = kindsOf(candidate);
  if (a !== b) {
    throw new TunebenchError('TB_COMPARE_KINDS', { detail: `the baseline is a ${a} run and the candidate a ${b} run` });
  }
}

/** The measured windows (from each run's short-run warning) too short for a stable figure. */
function shortRunsOf(runs: readonly RunRecord[]): { runs: number; seconds: number } | undefined {
  const windows = runs.flatMap((run) => {
    const event = run.events.find((e) => e.type === 'short-run');
    if (!event) return [];
    const seconds = typeof event.data?.seconds === 'number' ? event.data.seconds : Number.NaN;
    return [seconds];
  });
  if (!windows.length) return undefined;
  const known = windows.filter(Number.isFinite);
  return { runs: windows.length, seconds: known.length ? Math.min(...known) : Number.NaN };
}

/** Where a row's numbers come from: a summary key, the statistic of a per-item distribution, or both. */
interface MetricSource {
  metric: string;
  describe: RowDescription;
  aliases: string[];
  summaryKey?: string;
  items?: { distribution: string; statistic: Statistic };
}

const capitalize = (word: string) => `${word[0]!.toUpperCase()}${word.slice(1)}`;

/**
 * The summary key that reports a distribution's statistic: `latency.p99`
 * (the load kind's style) or `waitP99` for the `waitMs` distribution (the
 * pool's); undefined when the summary has none.
 */
function summaryKeyFor(distribution: string, statistic: string, keys: ReadonlySet<string>): string | undefined {
  const base = distribution.replace(/Ms$/, '');
  return [`${distribution}.${statistic}`, `${base}${capitalize(statistic)}`].find((key) => keys.has(key));
}

/** The name of a statistic only the items give, in the style of its summary family (waitMean beside waitP50), else dotted. */
function itemMetricName(distribution: string, statistic: string, keys: ReadonlySet<string>): string {
  const base = distribution.replace(/Ms$/, '');
  const family = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(P\\d+|Max|Mean)$`);
  return base !== distribution && [...keys].some((key) => family.test(key)) ? `${base}${capitalize(statistic)}` : `${distribution}.${statistic}`;
}

/** Every metric once: the summary's in order, each distribution statistic merged into its summary key or placed after its family. */
function metricSources(a: RunRecord[], b: RunRecord[]): MetricSource[] {
  const summaryKeys = unionKeys(a, b, (run) => run.summary);
  const keySet = new Set(summaryKeys);
  const sources: MetricSource[] = summaryKeys.map((key) => {
    const reference = firstSummary(a, key) ?? firstSummary(b, key)!;
    return { metric: key, summaryKey: key, aliases: [], describe: { metric: key, unit: reference.unit, better: reference.better, label: reference.label } };
  });
  const byMetric = new Map(sources.map((source) => [source.metric, source]));
  for (const name of sharedKeys(a, b, (run) => run.distributions)) {
    const reference = a.find((run) => run.distributions[name])!.distributions[name]!;
    for (const { name: statName, statistic } of DISTRIBUTION_STATISTICS) {
      const oldName = `${name}.${statName}`;
      const key = summaryKeyFor(name, statName, keySet);
      const merged = key ? byMetric.get(key) : undefined;
      if (merged) {
        merged.items = { distribution: name, statistic };
        if (oldName !== key) merged.aliases.push(oldName);
        continue;
      }
      const metric = itemMetricName(name, statName, keySet);
      const source: MetricSource = {
        metric,
        aliases: metric === oldName ? [] : [oldName],
        items: { distribution: name, statistic },
        describe: {
          metric,
          unit: reference.unit,
          better: TIME_UNITS.has(reference.unit) ? 'lower' : 'neither',
          label: `${reference.label ?? name} ${statName}`,
        },
      };
      // Beside its family (the other statistics of the same quantity), else at the end.
      const family = (name: string) => name.replace(/(\.\w+|P\d+|Mean|Max)$/, '');
      let last = -1;
      sources.forEach((other, index) => {
        if (family(other.metric) === family(metric)) last = index;
      });
      sources.splice(last >= 0 ? last + 1 : sources.length, 0, source);
      byMetric.set(metric, source);
    }
  }
  return sources;
}

/** One value per run that measured the metric: its summary value, else the statistic of its items. */
function perRunValues(runs: readonly RunRecord[], source: MetricSource): number[] {
  return runs.flatMap((run) => {
    const value = source.summaryKey ? run.summary[source.summaryKey]?.value : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return [value];
    const items = source.items ? run.distributions[source.items.distribution]?.values : undefined;
    return source.items && items?.length ? [computeStatistic(items, source.items.statistic)] : [];
  });
}

/** The items of the first run that has them (a single-run side). */
function firstItems(runs: readonly RunRecord[], distribution: string): readonly number[] {
  return runs.find((run) => run.distributions[distribution]?.values.length)?.distributions[distribution]!.values ?? [];
}

/** A row measured on a busy machine keeps its numbers and interval but claims nothing. */
function asInconclusive(row: ComparisonRow): ComparisonRow {
  return row.verdict === 'insufficient-data' ? row : { ...row, significant: false, verdict: 'inconclusive' };
}

interface RowDescription {
  metric: string;
  unit: Unit;
  better: MetricValue['better'];
  label?: string | undefined;
}

function compareSamples(
  describe: RowDescription,
  a: readonly number[],
  b: readonly number[],
  basis: ComparisonRow['basis'],
  bootstrap: BootstrapOptions,
  options: CompareOptions,
  statistic: Statistic = MEAN,
): ComparisonRow {
  const base = {
    metric: describe.metric,
    ...(describe.label ? { label: describe.label } : {}),
    unit: describe.unit,
    better: describe.better,
    n: { baseline: a.length, candidate: b.length },
  };
  if (a.length === 0 || b.length === 0) {
    return {
      ...base,
      baseline: a.length ? computeStatistic(a, statistic) : null,
      candidate: b.length ? computeStatistic(b, statistic) : null,
      diff: null,
      relDiff: null,
      ci: null,
      relCi: null,
      basis: 'none',
      significant: false,
      verdict: 'insufficient-data',
    };
  }
  if (basis === 'none') {
    const baselineValue = computeStatistic(a, statistic);
    const candidateValue = computeStatistic(b, statistic);
    return {
      ...base,
      baseline: baselineValue,
      candidate: candidateValue,
      diff: candidateValue - baselineValue,
      relDiff: baselineValue !== 0 ? candidateValue / baselineValue - 1 : null,
      ci: null,
      relCi: null,
      basis,
      significant: false,
      verdict: 'insufficient-data',
    };
  }
  const { method, ...result } =
    basis === 'per-repeat'
      ? smallSampleDifference(a, b, options.level)
      : { method: 'block-bootstrap' as const, ...bootstrapDifference(a, b, statistic, bootstrap) };
  const significant = isSignificant(result.ci, result.relCi, options.noiseFloorPct);
  return {
    ...base,
    baseline: result.baseline,
    candidate: result.candidate,
    diff: result.diff,
    relDiff: result.relDiff,
    ci: result.ci,
    relCi: result.relCi,
    basis,
    method,
    significant,
    verdict: verdictOf(significant, result.diff, describe.better),
  };
}

/**
 * Significant only when the whole interval lies beyond the noise floor: an
 * interval that excludes zero but reaches inside the floor may be a real
 * effect too small to matter, or run-to-run noise one run cannot show.
 */
function isSignificant(ci: ComparisonRow['ci'], relCi: ComparisonRow['relCi'], noiseFloorPct: number): boolean {
  const floor = noiseFloorPct / 100;
  if (relCi) return relCi.low > floor || relCi.high < -floor;
  return ci !== null && (ci.low > 0 || ci.high < 0);
}

function verdictOf(significant: boolean, diff: number, better: MetricValue['better']): ComparisonRow['verdict'] {
  if (!significant) return 'no-difference';
  if (better === 'neither') return 'changed';
  return (diff > 0) === (better === 'higher') ? 'better' : 'worse';
}

export interface Regression {
  row: ComparisonRow;
  /** How much worse, in percent of the baseline (positive). */
  worsePct: number;
}

/**
 * Rows significantly worse by more than pct: the whole interval of the relative
 * change must lie beyond pct on the worse side.
 */
export function findRegressions(comparison: Comparison, pct: number, metrics?: readonly string[]): Regression[] {
  const selected = selects(metrics);
  const limit = pct / 100;
  const regressions: Regression[] = [];
  for (const row of comparison.rows) {
    if (selected ? !selected(row) : row.better === 'neither') continue;
    if (row.verdict !== 'worse' || !row.relCi || row.relDiff === null) continue;
    const nearestToZero = row.better === 'higher' ? -row.relCi.high : row.relCi.low;
    if (nearestToZero > limit) regressions.push({ row, worsePct: Math.abs(row.relDiff) * 100 });
  }
  return regressions;
}

export interface GateOptions {
  /** Fail when a metric is significantly worse by more than this percent. */
  failPct: number;
  /** Gate only these metrics; by default every metric that has a better direction. */
  metrics?: readonly string[] | undefined;
  /** Fail on single-run (indicative) verdicts too. */
  singleRunOk?: boolean | undefined;
  /** Judge even when the machine was busy (the comparison must have been made with allowNoisy too). */
  allowNoisy?: boolean | undefined;
}

export interface GateResult {
  /** Metrics that fail the gate. */
  regressions: Regression[];
  /** Worse beyond failPct on a single-run (per-item) basis only: not failing without singleRunOk. */
  indicative: Regression[];
  /** How many metrics the gate judged with an interval. */
  gated: number;
  /** The two-sided level of each gated interval: the comparison's level shared out over the gated metrics (Bonferroni). */
  level: number;
  /** The machine was busy: the gate cannot decide (the CLI exits 2). */
  inconclusive?: string;
}

/**
 * The CI gate: does any gated metric get significantly worse by more than
 * failPct? A gate that asks this of many metrics at once at 95% each would
 * fail an A/A pair far more often than 5% of the time, so each interval is
 * widened to level 1 − (1 − level) / m over the m metrics it judges
 * (Bonferroni); the comparison shown keeps its per-metric level.
 * Single-run rows (per-item basis, within-run noise only) fail the gate only
 * with singleRunOk; otherwise they are returned as indicative.
 */
export function gateComparison(baseline: CompareGroup, candidate: CompareGroup, comparison: Comparison, options: GateOptions): GateResult {
  if (comparison.inconclusive) return { regressions: [], indicative: [], gated: 0, level: comparison.options.level, inconclusive: comparison.inconclusive };
  const selected = selects(options.metrics);
  const judged = comparison.rows.filter(
    (row) =>
      (selected ? selected(row) : row.better !== 'neither') &&
      row.relCi !== null &&
      (options.singleRunOk || row.basis !== 'per-item'),
  );
  const gated = judged.length;
  const level = gated > 1 ? 1 - (1 - comparison.options.level) / gated : comparison.options.level;
  const widened =
    gated > 1
      ? compareGroups(
          baseline,
          candidate,
          {
            ...comparison.options,
            level,
            // Enough resamples that the bootstrap's tails at this level rest on more than a few draws.
            resamples: Math.min(20_000, Math.max(comparison.options.resamples, Math.ceil(50 / (1 - level)))),
          },
          { allowNoisy: options.allowNoisy === true },
        )
      : comparison;
  const gatedMetrics = new Set(judged.map((row) => row.metric));
  const all = findRegressions(widened, options.failPct, options.metrics);
  return {
    regressions: all.filter((r) => gatedMetrics.has(r.row.metric)),
    indicative:
      options.singleRunOk || !comparison.rows.some((row) => row.basis === 'per-item')
        ? []
        : gateComparison(baseline, candidate, comparison, { ...options, singleRunOk: true }).regressions.filter((r) => r.row.basis === 'per-item'),
    gated,
    level,
  };
}

/** Metric names a comparison can be gated on (a row's metric or one of its former names); unknown names in --metrics are an input error. */
export function unknownMetrics(comparison: Comparison, metrics: readonly string[]): string[] {
  const known = new Set(comparison.rows.flatMap((row) => [row.metric, ...(row.aliases ?? [])]));
  return metrics.filter((metric) => !known.has(metric));
}

/** Former names in a list of metrics, with the row's name now ("waitMs.p50 is now waitP50"). */
export function renamedMetrics(comparison: Pick<Comparison, 'rows'>, metrics: readonly string[]): Array<{ from: string; to: string }> {
  return metrics.flatMap((from) => {
    const row = comparison.rows.find((r) => r.metric !== from && r.aliases?.includes(from));
    return row ? [{ from, to: row.metric }] : [];
  });
}

/** Rows a list of metric names selects: by their name or a former one. */
function selects(metrics: readonly string[] | undefined): ((row: ComparisonRow) => boolean) | undefined {
  if (!metrics?.length) return undefined;
  const names = new Set(metrics);
  return (row) => names.has(row.metric) || (row.aliases ?? []).some((alias) => names.has(alias));
}

function firstSummary(runs: RunRecord[], metric: string): MetricValue | undefined {
  return runs.find((run) => run.summary[metric])?.summary[metric];
}

function unionKeys(a: RunRecord[], b: RunRecord[], pick: (run: RunRecord) => Record<string, unknown>): string[] {
  const keys = new Set<string>();
  for (const run of [...a, ...b]) for (const key of Object.keys(pick(run))) keys.add(key);
  return [...keys];
}

function sharedKeys(a: RunRecord[], b: RunRecord[], pick: (run: RunRecord) => Record<string, unknown>): string[] {
  const inB = new Set(b.flatMap((run) => Object.keys(pick(run))));
  return unionKeys(a, [], pick).filter((key) => inB.has(key));
}

function describeSide(group: CompareGroup): ComparisonSide {
  const first = group.runs[0]!;
  return {
    label: group.label,
    kind: first.kind,
    runIds: group.runs.map((run) => run.id),
    spec: first.spec,
    environment: first.environment,
  };
}

function comparisonWarnings(baseline: CompareGroup, candidate: CompareGroup): string[] {
  const warnings: string[] = [];
  const a = baseline.runs[0]!;
  const b = candidate.runs[0]!;
  if (a.kind !== b.kind) warnings.push(`Different experiment kinds: ${a.kind} versus ${b.kind}.`);
  const machine = (run: RunRecord) =>
    `${run.environment.cpuModel} ×${run.environment.cpuCount}, Node ${run.environment.node}, ${run.environment.os}`;
  if (machine(a) !== machine(b)) {
    warnings.push(`Measured on different machines or runtimes: ${machine(a)} versus ${machine(b)}.`);
  }
  for (const group of [baseline, candidate]) {
    const unfinished = group.runs.filter((run) => run.status !== 'completed');
    if (unfinished.length) {
      warnings.push(`${group.label}: ${unfinished.map((run) => `${run.id} is ${run.status}`).join(', ')}.`);
    }
  }
  if (!perRunJudged(baseline.runs.length, candidate.runs.length)) {
    warnings.push(
      `${INDICATIVE_LABEL[0]!.toUpperCase()}${INDICATIVE_LABEL.slice(1)}: per-item intervals do not see how much a whole run varies from the next, ` +
        `and whole-run metrics (like throughput) get no interval. Repeat the runs (a sweep with repeats: at least ${MIN_REPEATS} per side, 5 recommended) to judge them.`,
    );
  } else {
    for (const [group, other] of [[baseline, candidate], [candidate, baseline]] as const) {
      if (group.runs.length === 1) {
        warnings.push(`${group.label} is a single run: its run-to-run spread is taken to be that of the ${other.runs.length} runs of ${other.label}.`);
      }
    }
  }
  return [...new Set(warnings)];
}

/** Settings that differ between the two specs, as dotted paths. */
export function specChanges(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Array<{ path: string; baseline: unknown; candidate: unknown }> {
  const flatA = flatten(a);
  const flatB = flatten(b);
  const paths = [...new Set([...Object.keys(flatA), ...Object.keys(flatB)])].filter((path) => path !== 'name');
  return paths
    .filter((path) => JSON.stringify(flatA[path]) !== JSON.stringify(flatB[path]))
    .map((path) => ({ path, baseline: flatA[path] ?? null, candidate: flatB[path] ?? null }));
}

function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}
