/**
 * The one answer a comparison opens with: the chosen objective's change with
 * its interval, the key secondary metric beside it, and better / worse / no
 * clear difference / inconclusive — with why, and what would decide it.
 * A pure function of the comparison's rows, so it is tested by tables.
 */
import { TunebenchError } from '../../../shared/errors.js';
import { STABLE_WINDOW_MIN_SEC } from '../../../shared/measured-window.js';
import {
  DEFAULT_OBJECTIVES,
  shortMetricName,
  type Comparison,
  type ComparisonRow,
  type ComparisonVerdict,
} from '../../../shared/studies.js';
import { formatSignedPct, formatValue } from './report/format.js';

/** Runs a side needs for a t interval on per-run values (as compare.ts's MIN_REPEATS), and the number recommended. */
const MIN_REPEATS = 2;
const RECOMMENDED_REPEATS = 5;

export interface VerdictContext {
  /** The metric to judge (a row's metric or a former name of it); the kind's default when absent. */
  objective?: string | undefined;
  /** Runs whose measured window was too short for a stable figure (their short-run warnings). */
  shortRuns?: { runs: number; seconds: number } | undefined;
  /** The fewer runs of the two sides. */
  repeats: number;
}

const OUTCOME_TEXT: Record<Exclude<ComparisonVerdict['outcome'], 'inconclusive'>, string> = {
  better: 'better',
  worse: 'worse',
  'no-difference': 'no clear difference',
};

export function comparisonVerdict(comparison: Omit<Comparison, 'verdict'>, context: VerdictContext): ComparisonVerdict {
  const row = objectiveRow(comparison, context.objective);
  const subject = describeChange(comparison);
  const advice: string[] = [];
  if (context.shortRuns) {
    const seconds = Number.isFinite(context.shortRuns.seconds) ? ` (${+context.shortRuns.seconds.toFixed(2)} s measured)` : '';
    advice.push(
      `longer runs: ${context.shortRuns.runs} run(s) measured too short a window for a stable figure${seconds}; measure at least ${STABLE_WINDOW_MIN_SEC} s, several seconds better`,
    );
  }
  if (!row) {
    return {
      objective: context.objective ?? '',
      outcome: 'inconclusive',
      reason: 'no metric to judge',
      headline: `${subject}: no metric with a better direction to judge; inconclusive`,
      advice,
    };
  }
  const secondary = secondaryRow(comparison, row);
  const parts = [describeObjective(row)];
  if (secondary) parts.push(describeSecondary(secondary, Boolean(comparison.inconclusive)));

  let outcome: ComparisonVerdict['outcome'];
  let reason: string | undefined;
  const moreRepeats = `more repeats: ${MIN_REPEATS} or more runs a side (${RECOMMENDED_REPEATS} recommended), so the spread between runs can be judged`;
  if (comparison.inconclusive) {
    outcome = 'inconclusive';
    reason = 'busy machine';
    // Single runs would stay indicative on a quiet machine too.
    if (comparison.indicative) advice.unshift(moreRepeats);
    advice.unshift(`a quieter machine: ${comparison.inconclusive.replace(/^inconclusive: /, '')}`);
  } else if (row.basis === 'per-item' || (row.basis === 'none' && comparison.indicative)) {
    outcome = 'inconclusive';
    reason = row.basis === 'per-item' && row.significant ? `indicative single runs; looks ${row.verdict}` : 'indicative single runs';
    advice.unshift(moreRepeats);
  } else if (row.verdict === 'insufficient-data' || row.basis === 'none') {
    outcome = 'inconclusive';
    reason = 'not enough data';
    advice.unshift(`both sides need a measured ${row.metric}, with ${MIN_REPEATS} or more runs on one side`);
  } else if (row.verdict === 'better' || row.verdict === 'worse') {
    outcome = row.verdict;
  } else {
    outcome = 'no-difference';
    if (context.repeats < RECOMMENDED_REPEATS) {
      advice.unshift(`more repeats narrow the interval: ${context.repeats} run(s) on a side now, ${RECOMMENDED_REPEATS} recommended`);
    }
  }
  let verdictText = outcome === 'inconclusive' ? `inconclusive (${reason})` : OUTCOME_TEXT[outcome];
  // A gain on the objective paid for elsewhere is said in the same breath.
  if (outcome === 'better' && secondary?.verdict === 'worse') verdictText += `, but ${shortMetricName(secondary.metric, secondary.label)} is worse`;
  return {
    objective: row.metric,
    ...(secondary ? { secondary: secondary.metric } : {}),
    outcome,
    ...(reason ? { reason } : {}),
    headline: `${subject}: ${parts.join(', ')}; ${verdictText}`,
    advice: outcome === 'better' || outcome === 'worse' ? advice.filter((line) => line.startsWith('longer runs')) : advice,
  };
}

/** The row the verdict is on: the one asked for (by name or former name), else the kind's default, else the first with a direction. */
function objectiveRow(comparison: Omit<Comparison, 'verdict'>, objective: string | undefined): ComparisonRow | undefined {
  const find = (name: string) => comparison.rows.find((row) => row.metric === name || row.aliases?.includes(name));
  if (objective) {
    const row = find(objective);
    if (!row) {
      throw new TunebenchError('TB_UNKNOWN_METRIC', {
        metric: `"${objective}"`,
        where: 'to judge',
        known: comparison.rows.map((r) => r.metric).join(', '),
      });
    }
    return row;
  }
  const defaults = DEFAULT_OBJECTIVES[comparison.baseline.kind]?.objective ?? [];
  for (const name of defaults) {
    const row = find(name);
    if (row) return row;
  }
  return comparison.rows.find((row) => row.better === 'higher') ?? comparison.rows.find((row) => row.better === 'lower');
}

/** The metric named beside the objective: the kind's secondary, or its objective when a latency was chosen. */
function secondaryRow(comparison: Omit<Comparison, 'verdict'>, objective: ComparisonRow): ComparisonRow | undefined {
  const defaults = DEFAULT_OBJECTIVES[comparison.baseline.kind];
  const names = [...(defaults?.secondary ?? []), ...(defaults?.objective ?? [])];
  for (const name of names) {
    const row = comparison.rows.find((r) => r.metric === name);
    if (row && row.metric !== objective.metric && row.candidate !== null && row.baseline !== null) return row;
  }
  return undefined;
}

/** "pool.threads 1 → 2", or the sides' labels when many settings (or none) changed. */
function describeChange(comparison: Omit<Comparison, 'verdict'>): string {
  const changes = comparison.specChanges;
  if (changes.length >= 1 && changes.length <= 2) {
    return changes.map((change) => `${change.path} ${settingText(change.baseline)} → ${settingText(change.candidate)}`).join(', ');
  }
  return `${comparison.candidate.label} versus ${comparison.baseline.label}`;
}

function settingText(value: unknown): string {
  return value === null || value === undefined ? 'unset' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function relative(row: ComparisonRow): string {
  if (row.relDiff !== null) return formatSignedPct(row.relDiff);
  if (row.diff !== null) return `${row.diff > 0 ? '+' : ''}${formatValue(row.diff, row.unit)}`;
  return 'not measured on both sides';
}

/** "throughput +62 % [+55 % … +70 %]". */
function describeObjective(row: ComparisonRow): string {
  const name = shortMetricName(row.metric, row.label);
  const interval = row.relCi
    ? ` [${formatSignedPct(row.relCi.low)} … ${formatSignedPct(row.relCi.high)}]`
    : row.ci
      ? ` [${formatValue(row.ci.low, row.unit)} … ${formatValue(row.ci.high, row.unit)}]`
      : row.diff !== null
        ? ' (no interval)'
        : '';
  return `${name} ${relative(row)}${interval}`;
}

/**
 * "p99 latency −40 %", with "(within noise)" when it is not a clear
 * difference; on a busy machine nothing was judged, so it says that instead
 * (an interval wholly beyond the noise floor is not "within noise").
 */
function describeSecondary(row: ComparisonRow, busy: boolean): string {
  const name = shortMetricName(row.metric, row.label);
  const clear = busy || row.verdict === 'inconclusive' ? ' (not judged: busy machine)' : row.significant ? '' : row.relCi || row.ci ? ' (within noise)' : '';
  return `${name} ${relative(row)}${clear}`;
}
