/**
 * What an imported k6 or Artillery result becomes: a load run record with
 * the summary keys, series and distribution a native load run has
 * (throughput, requests, errors by kind, latency percentiles, requested and
 * achieved rate), plus per mix entry and per status code, so compare, sweep
 * analysis and reports treat it as they treat native runs. The environment
 * names the source engine; the machine fields say what is not known.
 */
import { createHash } from 'node:crypto';
import { LOAD_ERROR_KINDS, type LoadErrorKind } from '../../../shared/cluster-protocol.js';
import type { ExternalEngine } from '../../../shared/external.js';
import { SOURCE_ENGINE_KEY, SOURCE_ENGINE_VERSION_KEY } from '../../../shared/external.js';
import type { Distribution, MetricValue, RunEvent, Series, Unit } from '../../../shared/metrics.js';
import { loadRunName } from '../../../shared/run-names.js';
import { RUN_RECORD_FORMAT, type Environment, type RunRecord } from '../../../shared/run-record.js';
import type { LoadSpec } from '../../../shared/specs/load.js';
import { TUNEBENCH_VERSION } from '../version.js';

export type ErrorKind = LoadErrorKind;
export type ErrorCounts = Record<ErrorKind, number>;
export const LATENCY_STATS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const;
export type LatencyStats = Record<(typeof LATENCY_STATS)[number], number>;

export const noErrors = (): ErrorCounts => ({ non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 });

/** One sampling interval of the measured window. */
export interface IntervalStats {
  /** Milliseconds from the run's start to the end of the interval. */
  t: number;
  seconds: number;
  /** Requests answered (any HTTP status) whose sample falls in the interval. */
  answered: number;
  errors: ErrorCounts;
  latency: LatencyStats | undefined;
  mix: Map<number, { answered: number; p99: number | undefined }>;
  /** Arrivals the engine could not start (k6's dropped_iterations). */
  dropped?: number;
}

export interface MixSummary {
  label: string;
  answered: number;
  latency: Pick<LatencyStats, 'p50' | 'p99' | 'mean'> | undefined;
}

export interface ResultSummary {
  answered: number;
  errors: ErrorCounts;
  statusCounts: Map<string, number>;
  latency: LatencyStats | undefined;
  /** How the percentiles were made, when not from every request (Artillery's periods). */
  latencyNote?: string;
  windowSec: number;
  mix: Map<number, MixSummary>;
  dropped?: number;
  warmupRequests: number;
}

export interface ExternalRunInput {
  engine: ExternalEngine;
  engineVersion: string | undefined;
  spec: LoadSpec;
  /** Where the spec came from: the results, --spec, a sweep point, or rebuilt from what the results show. */
  specSource: string;
  host: Environment['host'];
  /** Epoch ms of the first sample (warm-up included) and of the measured window's start. */
  startedAtMs: number;
  measureStartMs: number;
  durationMs: number;
  intervals: IntervalStats[];
  summary: ResultSummary;
  /** Per-request latencies in arrival order (a reservoir), for compare's per-item intervals. */
  latencySample?: { observed: number; values: number[] };
  instances?: number;
  files: string[];
  /** Digest of the files' bytes: the same results give the same run id, so importing them twice skips the second. */
  contentDigest: string;
  events?: RunEvent[];
  extra?: Record<string, string>;
}

const ENGINE_LABEL: Record<ExternalEngine, string> = { k6: 'k6', artillery: 'Artillery' };

export function buildExternalRun(input: ExternalRunInput): RunRecord {
  const { engine, spec, summary } = input;
  const label = ENGINE_LABEL[engine];
  const startedAt = new Date(input.startedAtMs).toISOString();
  const setupMs = Math.max(0, input.measureStartMs - input.startedAtMs);
  const series: Record<string, Series> = {};
  const add = (name: string, unit: Unit, seriesLabel: string, t: number, value: number | undefined) => {
    if (value === undefined || !Number.isFinite(value)) return;
    const entry = (series[name] ??= { unit, label: seriesLabel, t: [], v: [] });
    entry.t.push(round(t));
    entry.v.push(round(value));
  };
  for (const interval of input.intervals) {
    add('throughput', 'req/s', 'throughput', interval.t, interval.answered / interval.seconds);
    if (interval.latency) for (const p of ['p50', 'p90', 'p99', 'p999', 'max'] as const) add(`latency.${p}`, 'ms', `latency ${p}`, interval.t, interval.latency[p]);
    for (const kind of LOAD_ERROR_KINDS) add(`errors.${kind}`, 'count', `errors: ${kind}`, interval.t, interval.errors[kind]);
    if (interval.dropped !== undefined) add('dropped', 'count', 'arrivals dropped (no free VU)', interval.t, interval.dropped);
    for (const [index, mix] of interval.mix) {
      const name = summary.mix.get(index)?.label ?? `mix ${index}`;
      add(`mix.${index}.throughput`, 'req/s', `${name}: throughput`, interval.t, mix.answered / interval.seconds);
      add(`mix.${index}.latency.p99`, 'ms', `${name}: latency p99`, interval.t, mix.p99);
    }
  }

  const errors = LOAD_ERROR_KINDS.reduce((sum, kind) => sum + summary.errors[kind], 0);
  const attempts = summary.answered + errors - summary.errors.non2xx;
  const dropped = summary.dropped ?? 0;
  const throughput = summary.windowSec > 0 ? summary.answered / summary.windowSec : 0;
  const values: Record<string, MetricValue> = {
    requests: { value: summary.answered, unit: 'count', label: `Requests answered in the measured window (${label})`, better: 'higher' },
    throughput: { value: round(throughput), unit: 'req/s', label: `Throughput (answers per second in the measured window, ${label})`, better: 'higher' },
    errors: { value: errors, unit: 'count', better: 'lower' },
    errorRate: { value: attempts ? round((errors / attempts) * 100) : 0, unit: 'percent', label: 'error rate', better: 'lower' },
    unfinished: { value: dropped, unit: 'count', label: 'Unfinished: arrivals the engine dropped for want of a free VU', better: 'lower' },
    measuredSec: { value: round(summary.windowSec), unit: 's', better: 'neither' },
  };
  if (summary.latency) {
    const how = summary.latencyNote ? ` (${summary.latencyNote})` : '';
    for (const p of LATENCY_STATS) values[`latency.${p}`] = { value: round(summary.latency[p]), unit: 'ms', label: `latency ${p}${how}`, better: 'lower' };
  }
  for (const kind of LOAD_ERROR_KINDS) values[`errors.${kind}`] = { value: summary.errors[kind], unit: 'count', better: 'lower' };
  if (spec.load.mode === 'open' && spec.load.rate !== undefined) {
    values.requestedRate = { value: spec.load.rate, unit: 'req/s', better: 'neither' };
    values.achievedRatio = { value: round(throughput / spec.load.rate), unit: 'ratio', label: 'achieved ÷ requested rate', better: 'higher' };
    values.dropped = { value: dropped, unit: 'count', label: 'arrivals dropped (no free VU)', better: 'lower' };
    if (dropped > 0) values['unfinished.unsent'] = { value: dropped, unit: 'count', label: 'unfinished: never sent (no free VU)', better: 'lower' };
  }
  for (const [status, count] of [...summary.statusCounts].sort(([a], [b]) => a.localeCompare(b))) {
    values[`status.${status}`] = { value: count, unit: 'count', label: `responses with status ${status}`, better: 'neither' };
  }
  for (const [index, mix] of [...summary.mix].sort(([a], [b]) => a - b)) {
    values[`mix.${index}.requests`] = { value: mix.answered, unit: 'count', label: `${mix.label}: requests answered`, better: 'higher' };
    if (mix.latency) {
      values[`mix.${index}.latency.p50`] = { value: round(mix.latency.p50), unit: 'ms', label: `${mix.label}: latency p50`, better: 'lower' };
      values[`mix.${index}.latency.p99`] = { value: round(mix.latency.p99), unit: 'ms', label: `${mix.label}: latency p99`, better: 'lower' };
    }
  }
  values.setupSec = { value: round(setupMs / 1000), unit: 's', label: 'warm-up before the measured window', better: 'neither' };

  const events: RunEvent[] = [
    {
      t: 0,
      type: 'imported',
      message: `Measured by ${label}${input.engineVersion ? ` ${input.engineVersion}` : ''}${input.instances ? ` on ${input.instances} instance(s)` : ''}, imported from ${input.files.join(', ')}; spec ${input.specSource}.`,
      data: { engine, files: input.files, specSource: input.specSource },
    },
    ...(setupMs > 0 || summary.warmupRequests > 0
      ? [
          {
            t: round(setupMs),
            type: 'measure-start',
            message: `measured window began after ${(setupMs / 1000).toFixed(2)} s of warm-up (${summary.warmupRequests} warm-up requests left out)`,
            data: { setupMs: round(setupMs), warmupRequests: summary.warmupRequests },
          },
        ]
      : []),
    ...(input.events ?? []),
  ];
  const distributions: Record<string, Distribution> = {};
  if (input.latencySample && input.latencySample.values.length) {
    distributions.latency = { unit: 'ms', observed: input.latencySample.observed, values: input.latencySample.values.map(round) };
  }
  const environment: Environment = {
    tunebenchVersion: TUNEBENCH_VERSION,
    host: input.host,
    node: `n/a (${label})`,
    v8: 'n/a',
    os: 'unknown',
    arch: 'unknown',
    cpuModel: `unknown (measured by ${label})`,
    cpuCount: 0,
    totalMemoryMb: 0,
    extra: {
      [SOURCE_ENGINE_KEY]: engine,
      [SOURCE_ENGINE_VERSION_KEY]: input.engineVersion ?? 'unknown (not in its output)',
      ...(input.instances !== undefined ? { sourceInstances: String(input.instances) } : {}),
      sourceFiles: input.files.join(', ').slice(0, 1_000),
      specSource: input.specSource,
      loadTarget: spec.target.type === 'url' ? spec.target.url : spec.target.type,
      ...input.extra,
    },
  };
  const stamp = startedAt.replace(/[-:]/g, '').replace(/\..+/, '');
  const id = `${stamp}-${engine}-${input.contentDigest.slice(0, 8)}`;
  return {
    format: RUN_RECORD_FORMAT,
    id,
    kind: 'load',
    name: `${label} · ${spec.name ?? loadRunName(spec)}`,
    spec: spec as unknown as Record<string, unknown>,
    environment,
    status: 'completed',
    startedAt,
    endedAt: new Date(input.startedAtMs + input.durationMs).toISOString(),
    durationMs: round(input.durationMs),
    summary: values,
    series,
    events,
    distributions,
    artifacts: [],
  };
}

/** A streaming digest of the imported bytes. */
export function newDigest() {
  return createHash('sha256');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * A latency histogram with 1% wide buckets (log scale), sparse: a few hundred
 * buckets cover a run, whatever its length. Percentiles are the bucket's
 * midpoint, so within 0.5% of the exact value.
 */
export class LogHistogram {
  private static readonly BASE = 1.01;
  private static readonly FLOOR_MS = 0.001;
  private readonly buckets = new Map<number, number>();
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const index = value <= LogHistogram.FLOOR_MS ? 0 : Math.ceil(Math.log(value / LogHistogram.FLOOR_MS) / Math.log(LogHistogram.BASE));
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
  }

  quantile(q: number): number {
    if (!this.count) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index)!;
      if (seen >= rank) {
        const value = index === 0 ? LogHistogram.FLOOR_MS : LogHistogram.FLOOR_MS * LogHistogram.BASE ** (index - 0.5);
        return Math.min(this.max, Math.max(this.min, value));
      }
    }
    return this.max;
  }

  stats(): LatencyStats | undefined {
    if (!this.count) return undefined;
    return {
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.max,
      mean: this.sum / this.count,
    };
  }
}
