/**
 * Artillery's JSON report (`artillery run --output report.json`) as a load
 * run. The report (checked against Artillery 2.0 run on this machine) has
 * `aggregate` and `intermediate`, each period with `counters`
 * (http.requests, http.responses, http.codes.<status>, errors.<code>,
 * vusers.*, plugins.metrics-by-endpoint.<name>.codes.<status>), `summaries`
 * (http.response_time and per endpoint: min, max, count, mean, p50, p90, p95,
 * p99, p999, in whole milliseconds) and first/last metric timestamps. The
 * intermediate periods are 10 s of wall-clock time.
 *
 * Warm-up: an exported script pauses 10 s after its warm-up phase, so the
 * periods before the first gap of nearly 10 s are the warm-up and are left
 * out. The percentiles of the measured window are then the periods'
 * percentiles averaged by count (Artillery's report does not keep the
 * sketches it could merge); with no warm-up they are the aggregate's.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TunebenchError } from '../../../shared/errors.js';
import { ARTILLERY_WARMUP_GAP_SEC, parseArtilleryRequestName } from '../../../shared/external.js';
import type { Environment } from '../../../shared/run-record.js';
import { MAX_IMPORT_BYTES } from '../../../shared/studies.js';
import { describeZodError } from '../../../shared/validation.js';
import { buildExternalRun, noErrors, type ErrorCounts, type ErrorKind, type IntervalStats, type LatencyStats, type MixSummary } from './external-run.js';
import type { ExternalImportResult } from './k6-results.js';
import { resolveSpec, type SpecChoice } from './spec-choice.js';

const PERIOD_MS = 10_000;
const finite = () => z.number().finite();
const SummarySchema = z.object({
  min: finite(),
  max: finite(),
  count: finite().min(0),
  mean: finite(),
  p50: finite(),
  p90: finite(),
  p99: finite(),
  p999: finite(),
});
type Summary = z.infer<typeof SummarySchema>;
const PeriodSchema = z.object({
  period: z.union([z.string().regex(/^\d{1,16}$/), z.number().int()]),
  counters: z.record(z.string().max(1_000), finite()).default({}),
  summaries: z.record(z.string().max(1_000), z.unknown()).default({}),
  firstMetricAt: finite().optional(),
  lastMetricAt: finite().optional(),
});
type Period = z.infer<typeof PeriodSchema>;
const ReportSchema = z.object({ aggregate: PeriodSchema, intermediate: z.array(PeriodSchema).max(100_000) });

const RESPONSE_TIME = 'http.response_time';
const ENDPOINT_TIME = 'plugins.metrics-by-endpoint.response_time.';
const ENDPOINT_PREFIX = 'plugins.metrics-by-endpoint.';

export interface ArtilleryImportInput {
  text: string;
  file: string;
  choice: SpecChoice;
  host: Environment['host'];
  engineVersion?: string | undefined;
}

export function importArtilleryReport(input: ArtilleryImportInput): ExternalImportResult {
  const { file } = input;
  const invalid = (detail: string) => new TunebenchError('TB_IMPORT_INVALID', { file, detail });
  if (input.text.length > MAX_IMPORT_BYTES) throw invalid(`larger than the import limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (error) {
    throw invalid(`not valid JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || !('aggregate' in json) || !('intermediate' in json)) {
    throw invalid('not an Artillery JSON report (artillery run --output …): no "aggregate" and "intermediate"');
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) throw invalid(`not a valid Artillery report: ${describeZodError(parsed.error).slice(0, 600)}`);
  const periods = parsed.data.intermediate
    .filter((period) => (period.counters['http.requests'] ?? 0) > 0 || (period.counters['http.responses'] ?? 0) > 0)
    .map((period) => ({ ...period, start: Number(period.period) }))
    .sort((a, b) => a.start - b.start);
  if (!periods.length) throw invalid('no period with HTTP requests: not a report of an HTTP load test');
  for (const period of periods) summaryOf(period, RESPONSE_TIME, invalid);

  const { spec, source: specSource, warnings } = resolveSpec(input.choice, undefined, () => {
    throw invalid('an Artillery report does not say what ran (target, rate, mix): pass --spec <load-spec.json>, the spec the script was exported from, or attach it to a sweep point with --sweep and --point');
  });

  // The warm-up: the periods before the exported script's pause.
  let firstMeasuredIndex = 0;
  if (spec.load.warmupSec > 0) {
    const horizon = (periods[0]!.firstMetricAt ?? periods[0]!.start) + (spec.load.warmupSec + ARTILLERY_WARMUP_GAP_SEC + PERIOD_MS / 1000) * 1000;
    for (let i = 1; i < periods.length && (periods[i]!.firstMetricAt ?? periods[i]!.start) <= horizon; i++) {
      const gap = (periods[i]!.firstMetricAt ?? periods[i]!.start) - (periods[i - 1]!.lastMetricAt ?? periods[i - 1]!.start + PERIOD_MS);
      if (gap >= (ARTILLERY_WARMUP_GAP_SEC - 1) * 1000) {
        firstMeasuredIndex = i;
        break;
      }
    }
    if (firstMeasuredIndex === 0) {
      warnings.push(`No pause after a warm-up was found in the report (a script exported by Tunebench leaves ${ARTILLERY_WARMUP_GAP_SEC} s): the warm-up is in the measured window.`);
    }
  }
  const warmup = periods.slice(0, firstMeasuredIndex);
  const measured = periods.slice(firstMeasuredIndex);
  const startedAtMs = periods[0]!.firstMetricAt ?? periods[0]!.start;
  const measureStartMs = measured[0]!.firstMetricAt ?? measured[0]!.start;
  const measureEndMs = Math.max(...measured.map((period) => period.lastMetricAt ?? period.start + PERIOD_MS));
  const windowSec = Math.max(0.001, (measureEndMs - measureStartMs) / 1000);

  const mixLabels = spec.load.mix.map((entry) => `${entry.method} ${entry.path}`);
  const intervals: IntervalStats[] = measured.map((period) => {
    const from = Math.max(period.start, measureStartMs);
    const to = Math.min(period.start + PERIOD_MS, period.lastMetricAt ?? period.start + PERIOD_MS, measureEndMs);
    const seconds = Math.max(1, to - from) / 1000;
    const summary = summaryOf(period, RESPONSE_TIME, invalid);
    const mix = new Map<number, { answered: number; p99: number | undefined }>();
    for (const [index, entry] of endpoints(period, invalid)) mix.set(index, { answered: entry.answered, p99: entry.summary?.p99 });
    return {
      t: Math.min(period.start + PERIOD_MS, measureEndMs) - startedAtMs,
      seconds,
      answered: answeredIn(period),
      errors: errorsIn(period),
      latency: summary && latencyOf(summary),
      mix,
    };
  });

  const statusCounts = new Map<string, number>();
  for (const period of measured) {
    for (const [name, count] of Object.entries(period.counters)) {
      const status = /^http\.codes\.(\d{3})$/.exec(name)?.[1];
      if (status) statusCounts.set(status, (statusCounts.get(status) ?? 0) + count);
    }
  }
  const errors = noErrors();
  for (const period of measured) for (const [kind, count] of Object.entries(errorsIn(period)) as Array<[ErrorKind, number]>) errors[kind] += count;
  const exact = firstMeasuredIndex === 0;
  const latency = exact
    ? mapDefined(summaryOf(parsed.data.aggregate, RESPONSE_TIME, invalid), latencyOf)
    : weighted(measured.map((period) => summaryOf(period, RESPONSE_TIME, invalid)));
  const mixTotals = new Map<number, { answered: number; summaries: Summary[] }>();
  for (const period of measured) {
    for (const [index, entry] of endpoints(period, invalid)) {
      const total = mixTotals.get(index) ?? { answered: 0, summaries: [] };
      total.answered += entry.answered;
      if (entry.summary) total.summaries.push(entry.summary);
      mixTotals.set(index, total);
    }
  }
  const mix = new Map<number, MixSummary>(
    [...mixTotals]
      .filter(([index]) => index < mixLabels.length)
      .map(([index, total]) => {
        const stats = weighted(total.summaries);
        return [index, { label: mixLabels[index]!, answered: total.answered, latency: stats && { p50: stats.p50, p99: stats.p99, mean: stats.mean } }];
      }),
  );
  const answered = measured.reduce((sum, period) => sum + answeredIn(period), 0);
  const warmupRequests = warmup.reduce((sum, period) => sum + (period.counters['http.requests'] ?? 0), 0);
  const run = buildExternalRun({
    engine: 'artillery',
    engineVersion: input.engineVersion,
    spec,
    specSource,
    host: input.host,
    startedAtMs,
    measureStartMs,
    durationMs: measureEndMs - startedAtMs,
    intervals,
    summary: {
      answered,
      errors,
      statusCounts,
      latency,
      ...(exact ? {} : { latencyNote: `Artillery: the ${measured.length} measured 10 s periods' percentiles averaged by count` }),
      windowSec,
      mix,
      warmupRequests,
    },
    files: [file],
    contentDigest: digestOf(input.text),
  });
  return { run, warnings };
}

function summaryOf(period: Period, name: string, invalid: (detail: string) => TunebenchError): Summary | undefined {
  const raw = period.summaries[name];
  if (raw === undefined) return undefined;
  const parsed = SummarySchema.safeParse(raw);
  if (!parsed.success) throw invalid(`the summary "${name.slice(0, 100)}" of period ${String(period.period)} is not valid: ${describeZodError(parsed.error).slice(0, 300)}`);
  return parsed.data;
}

function answeredIn(period: Period): number {
  const responses = period.counters['http.responses'];
  if (responses !== undefined) return responses;
  return Object.entries(period.counters)
    .filter(([name]) => /^http\.codes\.\d{3}$/.test(name))
    .reduce((sum, [, count]) => sum + count, 0);
}

function errorsIn(period: Period): ErrorCounts {
  const errors = noErrors();
  for (const [name, count] of Object.entries(period.counters)) {
    const status = /^http\.codes\.(\d{3})$/.exec(name)?.[1];
    if (status) {
      if (!status.startsWith('2')) errors.non2xx += count;
      continue;
    }
    if (!name.startsWith('errors.')) continue;
    const code = name.slice('errors.'.length);
    const kind: ErrorKind =
      code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT'
        ? 'timeout'
        : code === 'ECONNREFUSED'
          ? 'refused'
          : code === 'ECONNRESET' || code === 'EPIPE'
            ? 'reset'
            : 'other';
    errors[kind] += count;
  }
  return errors;
}

function endpoints(period: Period, invalid: (detail: string) => TunebenchError): Map<number, { answered: number; summary: Summary | undefined }> {
  const found = new Map<number, { answered: number; summary: Summary | undefined }>();
  for (const [name, count] of Object.entries(period.counters)) {
    if (!name.startsWith(ENDPOINT_PREFIX)) continue;
    const match = /^(.*)\.codes\.\d{3}$/.exec(name.slice(ENDPOINT_PREFIX.length));
    const request = match && parseArtilleryRequestName(match[1]!);
    if (!request) continue;
    const entry = found.get(request.index) ?? { answered: 0, summary: undefined };
    entry.answered += count;
    found.set(request.index, entry);
  }
  for (const name of Object.keys(period.summaries)) {
    if (!name.startsWith(ENDPOINT_TIME)) continue;
    const request = parseArtilleryRequestName(name.slice(ENDPOINT_TIME.length));
    if (!request) continue;
    const entry = found.get(request.index) ?? { answered: 0, summary: undefined };
    entry.summary = summaryOf(period, name, invalid);
    found.set(request.index, entry);
  }
  return found;
}

function latencyOf(summary: Summary): LatencyStats {
  return { p50: summary.p50, p90: summary.p90, p99: summary.p99, p999: summary.p999, max: summary.max, mean: summary.mean };
}

/** Percentiles averaged by count (an approximation Artillery's report leaves no better one for); max is the max, mean exact. */
function weighted(summaries: Array<Summary | undefined>): LatencyStats | undefined {
  const present = summaries.filter((summary): summary is Summary => summary !== undefined && summary.count > 0);
  const count = present.reduce((sum, summary) => sum + summary.count, 0);
  if (!count) return undefined;
  const average = (pick: (summary: Summary) => number) => present.reduce((sum, summary) => sum + pick(summary) * summary.count, 0) / count;
  return {
    p50: average((s) => s.p50),
    p90: average((s) => s.p90),
    p99: average((s) => s.p99),
    p999: average((s) => s.p999),
    max: Math.max(...present.map((s) => s.max)),
    mean: average((s) => s.mean),
  };
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
