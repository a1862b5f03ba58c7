/**
 * What a findings rule reads and the small arithmetic the rules share. A rule
 * is a pure function of a run's record (or, while it runs, of its live
 * parts) returning what it found: nothing, one finding or a few.
 */
import type { Finding, FindingEvidence } from '../../../shared/findings.js';
import type { MetricValue, RunEvent, Series, Unit } from '../../../shared/metrics.js';
import type { NoiseVerdict } from '../../../shared/noise.js';
import type { RecordTable, RunRecord, RunStatus } from '../../../shared/run-record.js';

/** The parts of a run record the rules read; a live run has these too (no tables, no noise verdict yet). */
export interface FindingInput {
  kind: string;
  spec: Record<string, unknown>;
  environment: { cpuCount: number };
  status: RunStatus;
  /** How long the run has lasted, ms: its record's duration, or the time elapsed while it runs. */
  durationMs: number;
  summary: Record<string, MetricValue>;
  series: Record<string, Series>;
  events: readonly RunEvent[];
  tables?: Record<string, RecordTable> | undefined;
  noise?: NoiseVerdict | undefined;
  origin?: RunRecord['origin'];
}

export interface FindingContext {
  /** The run is still going: rules that need its end (a verdict, a short window) say nothing yet. */
  live: boolean;
  /** Measured runs per point of the sweep the run belongs to. */
  repeats?: number;
}

export type FindingRule = (input: FindingInput, context: FindingContext) => Finding | readonly Finding[] | undefined;

/** A summary value, when the run has it. */
export function metric(input: FindingInput, key: string): number | undefined {
  const value = input.summary[key]?.value;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function series(input: FindingInput, name: string): Series | undefined {
  const found = input.series[name];
  return found && found.t.length ? found : undefined;
}

/** Three significant digits: evidence is for reading, not for recomputing. */
export function round3(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(3));
}

export function evidence(label: string, value: number | string, unit?: Unit): FindingEvidence {
  // Counts stay exact; measurements keep three significant digits.
  const shown = typeof value === 'number' && !Number.isInteger(value) ? round3(value) : value;
  return { label, value: shown, ...(unit ? { unit } : {}) };
}

/** A number for a sentence: three significant digits (whole numbers whole), thousands grouped. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number.isInteger(value) ? value : round3(value));
}

/** A duration in milliseconds for a sentence; 0 (rounded from under half a microsecond) reads as such. */
export function msText(value: number): string {
  return value > 0 ? `${num(value)} ms` : 'under a microsecond';
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${num(count)} ${count === 1 ? word : many}`;
}

/** The end of the run on its time axis: its latest sample or event (its duration when it has neither). */
export function runEndMs(input: FindingInput): number {
  let end = 0;
  for (const recorded of Object.values(input.series)) {
    const last = recorded.t.at(-1);
    if (last !== undefined && last > end) end = last;
  }
  const lastEvent = input.events.at(-1);
  if (lastEvent && lastEvent.t > end) end = lastEvent.t;
  return end || input.durationMs;
}

/** Where the measured window began (the 'measure-start' event), or undefined when it never did. */
export function measureStartMs(input: FindingInput): number | undefined {
  return input.events.find((event) => event.type === 'measure-start')?.t;
}

/** The measured window on the run's axis: from its start (or the run's) to the run's end. */
export function measuredRange(input: FindingInput): { fromMs: number; toMs: number } {
  return { fromMs: measureStartMs(input) ?? 0, toMs: runEndMs(input) };
}

/**
 * The stretch of a series' intervals where `test` holds: from the start of
 * the first such interval (the previous point) to the end of the last one.
 */
export function stretchWhere(recorded: Pick<Series, 't' | 'v'>, test: (value: number, index: number) => boolean): { fromMs: number; toMs: number } | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < recorded.t.length; i++) {
    if (!test(recorded.v[i]!, i)) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return undefined;
  return { fromMs: first > 0 ? recorded.t[first - 1]! : Math.max(0, recorded.t[first]! - intervalOf(recorded)), toMs: recorded.t[last]! };
}

/** The usual spacing of a series' points (its median step), ms. */
export function intervalOf(recorded: Pick<Series, 't'>): number {
  const steps: number[] = [];
  for (let i = 1; i < recorded.t.length; i++) steps.push(recorded.t[i]! - recorded.t[i - 1]!);
  return steps.length ? median(steps) : 0;
}

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Points of a series at or after `fromMs`. */
export function pointsFrom(recorded: Pick<Series, 't' | 'v'>, fromMs: number): { t: number[]; v: number[] } {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < recorded.t.length; i++) {
    if (recorded.t[i]! < fromMs) continue;
    t.push(recorded.t[i]!);
    v.push(recorded.v[i]!);
  }
  return { t, v };
}

/** Doubling steps from `from` up to `to`, `to` included: 1, 2, 4, 6 for (1, 6). */
export function doublingSteps(from: number, to: number): number[] {
  const values: number[] = [];
  for (let value = Math.max(1, from); value < to; value *= 2) values.push(value);
  values.push(to);
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Rounds up to a number a person would type: 1, 2 or 5 times a power of ten. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A spec setting by dotted path. */
export function setting(spec: Record<string, unknown>, path: string): unknown {
  let value: unknown = spec;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function numberSetting(spec: Record<string, unknown>, path: string): number | undefined {
  const value = setting(spec, path);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A record table's rows as objects keyed by its column names. */
export function tableRows(table: RecordTable | undefined): Array<Record<string, string | number>> {
  if (!table) return [];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column, row[index]!])));
}
