/**
 * k6's JSON output (`k6 run --out json=results.json[.gz]`) as a load run.
 *
 * The format (k6 docs, "Results output → JSON"): one JSON object per line,
 * `{"type":"Metric","data":{…},"metric":"http_req_duration"}` declaring a
 * metric, then `{"type":"Point","data":{"time":"…","value":…,"tags":{…}},
 * "metric":"http_req_duration"}` per sample. Tags include method, status,
 * url, name, scenario, expected_response, error_code (on failures, with
 * status 0) and any the script adds. What is read: http_req_duration (one
 * per request: latency, status, error code), dropped_iterations (arrivals
 * without a free VU), vus (to rebuild a spec), and the tunebench_spec sample
 * an exported script adds in setup(). Samples of the warm-up scenario
 * (tb_phase=warmup) are left out.
 *
 * Files are read twice, streamed line by line (each line and the whole
 * bounded): the first pass validates every line and finds the spec, the
 * measured window and the instances; the second aggregates per sampling
 * interval. Nothing is written here.
 */
import { TunebenchError } from '../../../shared/errors.js';
import { MIX_TAG, PHASE_TAG, SPEC_METRIC, WARMUP_SCENARIO } from '../../../shared/external.js';
import { OrderedReservoir } from '../../../shared/ordered-reservoir.js';
import { SeededRandom } from '../../../shared/random.js';
import type { Environment, RunRecord } from '../../../shared/run-record.js';
import { LoadSpecSchema, type LoadSpec } from '../../../shared/specs/load.js';
import { describeZodError } from '../../../shared/validation.js';
import { RESERVOIR_SIZE } from '../recorder.js';
import {
  buildExternalRun,
  LogHistogram,
  newDigest,
  noErrors,
  type ErrorKind,
  type IntervalStats,
  type MixSummary,
} from './external-run.js';
import { boundedLines, type ImportSource, type LineLimits } from './ndjson-lines.js';
import { resolveSpec, type SpecChoice } from './spec-choice.js';

export const K6_LIMITS: LineLimits = { maxLineBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 * 1024 };
/** At most this many intervals in a run's series; a longer run gets wider intervals. */
const MAX_INTERVALS = 2_000;
const MAX_REBUILT_MIX = 50;

interface Point {
  metric: string;
  time: number;
  value: number;
  tags: Record<string, string>;
}

interface Scan {
  carriedSpecs: Set<string>;
  versions: Set<string>;
  instances: Set<string>;
  firstTime: number;
  firstMeasured: number;
  lastMeasured: number;
  measured: number;
  maxVus: number;
  /** method + URL of measured requests, for a spec rebuilt from the results. */
  requests: Map<string, number>;
  digest: string;
}

export interface K6ImportInput {
  sources: ImportSource[];
  choice: SpecChoice;
  host: Environment['host'];
  limits?: LineLimits;
}

export interface ExternalImportResult {
  run: RunRecord;
  /** Things the user should read: a spec that differs from the one given, a rebuilt spec. */
  warnings: string[];
}

export async function importK6Results(input: K6ImportInput): Promise<ExternalImportResult> {
  if (!input.sources.length) throw new TunebenchError('TB_NOTHING_GIVEN', { what: 'k6 results file' });
  const limits = input.limits ?? K6_LIMITS;
  const scan = await scanFiles(input.sources, limits);
  const carried = [...scan.carriedSpecs];
  if (carried.length > 1) {
    throw new TunebenchError('TB_IMPORT_INVALID', { file: input.sources[0]!.name, detail: 'the files carry different specs: they are not one run' });
  }
  const carriedSpec = carried.length ? parseCarriedSpec(carried[0]!, input.sources[0]!.name) : undefined;
  const { spec, source: specSource, warnings } = resolveSpec(input.choice, carriedSpec, () => rebuildSpec(scan, input.sources[0]!.name));

  let widthMs = spec.sampleIntervalMs;
  const spanMs = Math.max(0, scan.lastMeasured - scan.firstMeasured);
  if (spanMs / widthMs > MAX_INTERVALS) {
    widthMs = Math.ceil(spanMs / MAX_INTERVALS / widthMs) * widthMs;
    warnings.push(`The series group samples every ${widthMs} ms (the run is too long for ${spec.sampleIntervalMs} ms intervals).`);
  }
  const mixLabels = spec.load.mix.map((entry) => `${entry.method} ${entry.path}`);
  const mixIndexByRequest = new Map(spec.load.mix.map((entry, index) => [`${entry.method} ${entry.path}`, index]));
  const mixOf = (tags: Record<string, string>): number | undefined => {
    const tagged = tags[MIX_TAG];
    if (tagged !== undefined && /^\d{1,2}$/.test(tagged) && Number(tagged) < mixLabels.length) return Number(tagged);
    const path = pathOf(tags.url);
    return path === undefined ? undefined : mixIndexByRequest.get(`${tags.method ?? 'GET'} ${path}`);
  };

  // Second pass: aggregate.
  const intervals = new Map<number, { hist: LogHistogram; answered: number; errors: ReturnType<typeof noErrors>; dropped: number; mix: Map<number, LogHistogram> }>();
  const overall = new LogHistogram();
  const mixHists = new Map<number, LogHistogram>();
  const errors = noErrors();
  const statusCounts = new Map<string, number>();
  const reservoir = new OrderedReservoir(RESERVOIR_SIZE, (() => {
    const random = new SeededRandom(1);
    return () => random.next();
  })());
  let dropped = 0;
  let warmupRequests = 0;
  const intervalOf = (time: number) => {
    const index = Math.max(0, Math.floor((time - scan.firstMeasured) / widthMs));
    let entry = intervals.get(index);
    if (!entry) intervals.set(index, (entry = { hist: new LogHistogram(), answered: 0, errors: noErrors(), dropped: 0, mix: new Map() }));
    return entry;
  };
  for (const source of input.sources) {
    for await (const point of points(source, limits)) {
      if (point.metric === 'http_req_duration') {
        if (isWarmup(point.tags)) {
          warmupRequests++;
          continue;
        }
        const interval = intervalOf(point.time);
        const status = Number(point.tags.status ?? '0');
        if (!Number.isFinite(status) || status <= 0) {
          const kind = networkErrorKind(point.tags.error_code);
          errors[kind]++;
          interval.errors[kind]++;
          continue;
        }
        overall.add(point.value);
        reservoir.add(point.value);
        interval.hist.add(point.value);
        interval.answered++;
        statusCounts.set(String(status), (statusCounts.get(String(status)) ?? 0) + 1);
        if (status < 200 || status >= 300) {
          errors.non2xx++;
          interval.errors.non2xx++;
        }
        const mix = mixOf(point.tags);
        if (mix !== undefined) {
          let hist = mixHists.get(mix);
          if (!hist) mixHists.set(mix, (hist = new LogHistogram()));
          hist.add(point.value);
          let intervalHist = interval.mix.get(mix);
          if (!intervalHist) interval.mix.set(mix, (intervalHist = new LogHistogram()));
          intervalHist.add(point.value);
        }
      } else if (point.metric === 'dropped_iterations' && !isWarmup(point.tags)) {
        dropped += point.value;
        intervalOf(point.time).dropped += point.value;
      }
    }
  }

  const windowMs = scan.measured > 1 ? (spanMs * scan.measured) / (scan.measured - 1) : widthMs;
  const windowEnd = scan.firstMeasured + windowMs;
  const last = Math.max(0, ...intervals.keys());
  const intervalStats: IntervalStats[] = [...intervals.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, entry]) => {
      const start = scan.firstMeasured + index * widthMs;
      const seconds = index === last ? Math.max(widthMs / 10, Math.min(widthMs, windowEnd - start)) / 1000 : widthMs / 1000;
      return {
        t: start + seconds * 1000 - scan.firstTime,
        seconds,
        answered: entry.answered,
        errors: entry.errors,
        latency: entry.hist.stats(),
        mix: new Map([...entry.mix].map(([mix, hist]) => [mix, { answered: hist.count, p99: hist.quantile(0.99) }])),
        dropped: entry.dropped,
      };
    });
  const mixSummaries = new Map<number, MixSummary>(
    [...mixHists].map(([index, hist]) => {
      const stats = hist.stats();
      return [index, { label: mixLabels[index] ?? `mix ${index}`, answered: hist.count, latency: stats && { p50: stats.p50, p99: stats.p99, mean: stats.mean } }];
    }),
  );
  const instances = scan.instances.size || (input.sources.length > 1 ? input.sources.length : undefined);
  const run = buildExternalRun({
    engine: 'k6',
    engineVersion: [...scan.versions].join(', ') || undefined,
    spec,
    specSource,
    host: input.host,
    startedAtMs: scan.firstTime,
    measureStartMs: scan.firstMeasured,
    durationMs: windowEnd - scan.firstTime,
    intervals: intervalStats,
    summary: {
      answered: overall.count,
      errors,
      statusCounts,
      latency: overall.stats(),
      windowSec: windowMs / 1000,
      mix: mixSummaries,
      ...(spec.load.mode === 'open' ? { dropped } : {}),
      warmupRequests,
    },
    latencySample: { observed: reservoir.observed, values: reservoir.ordered() },
    ...(instances !== undefined ? { instances } : {}),
    files: input.sources.map((source) => source.name),
    contentDigest: scan.digest,
  });
  return { run, warnings };
}

/** First pass: every line valid, and what the second pass needs to know. */
async function scanFiles(sources: ImportSource[], limits: LineLimits): Promise<Scan> {
  const digest = newDigest();
  const scan: Scan = {
    carriedSpecs: new Set(),
    versions: new Set(),
    instances: new Set(),
    firstTime: Number.POSITIVE_INFINITY,
    firstMeasured: Number.POSITIVE_INFINITY,
    lastMeasured: Number.NEGATIVE_INFINITY,
    measured: 0,
    maxVus: 0,
    requests: new Map(),
    digest: '',
  };
  let samples = 0;
  for (const source of sources) {
    digest.update(`\n${source.name}\n`);
    for await (const point of points(source, limits, (chunk) => digest.update(chunk))) {
      if (point.tags.k6_version) scan.versions.add(point.tags.k6_version.slice(0, 40));
      if (point.tags.instance_id !== undefined && scan.instances.size < 10_000) scan.instances.add(point.tags.instance_id);
      if (point.metric === SPEC_METRIC && point.tags.spec !== undefined) {
        if (scan.carriedSpecs.size < 4) scan.carriedSpecs.add(point.tags.spec);
      } else if (point.metric === 'vus') {
        scan.maxVus = Math.max(scan.maxVus, point.value);
      } else if (point.metric === 'http_req_duration') {
        samples++;
        scan.firstTime = Math.min(scan.firstTime, point.time);
        if (isWarmup(point.tags)) continue;
        scan.measured++;
        scan.firstMeasured = Math.min(scan.firstMeasured, point.time);
        scan.lastMeasured = Math.max(scan.lastMeasured, point.time);
        const path = pathOf(point.tags.url);
        const key = `${point.tags.method ?? 'GET'} ${point.tags.url ?? ''}`;
        if (path !== undefined && (scan.requests.has(key) || scan.requests.size < 1_000)) scan.requests.set(key, (scan.requests.get(key) ?? 0) + 1);
      }
    }
  }
  const file = sources.map((source) => source.name).join(', ');
  if (!samples) throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: 'no http_req_duration samples: not the JSON output of a k6 run of HTTP requests' });
  if (!scan.measured) throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: 'every request was in the warm-up scenario: nothing was measured' });
  scan.digest = digest.digest('hex');
  return scan;
}

/** Every valid line as a point; Metric lines are checked and skipped; anything else is TB_IMPORT_INVALID naming the line. */
async function* points(source: ImportSource, limits: LineLimits, onBytes?: (chunk: Buffer) => void): AsyncIterable<Point> {
  let seen = 0;
  for await (const { line, number } of boundedLines(source, limits, onBytes)) {
    if (!line.trim()) continue;
    const invalid = (detail: string) =>
      new TunebenchError('TB_IMPORT_INVALID', {
        file: source.name,
        detail: seen ? `line ${number}: ${detail}` : `not k6 JSON output (k6 run --out json=…): line ${number}: ${detail}`,
      });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw invalid('not JSON');
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw invalid('not a JSON object');
    const { type, metric, data } = json as { type?: unknown; metric?: unknown; data?: unknown };
    if (typeof metric !== 'string' || !metric || metric.length > 200) throw invalid('no "metric" name');
    if (type === 'Metric') {
      seen++;
      continue;
    }
    if (type !== 'Point') throw invalid(`"type" is ${JSON.stringify(type)}, not "Metric" or "Point"`);
    if (!data || typeof data !== 'object') throw invalid('a Point without "data"');
    const { time, value, tags } = data as { time?: unknown; value?: unknown; tags?: unknown };
    const at = typeof time === 'string' ? Date.parse(time) : Number.NaN;
    if (!Number.isFinite(at)) throw invalid('a Point without a valid "time"');
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid('a Point without a numeric "value"');
    if (metric === 'http_req_duration' && value < 0) throw invalid('a negative request duration');
    const clean: Record<string, string> = {};
    if (tags !== null && tags !== undefined) {
      if (typeof tags !== 'object' || Array.isArray(tags)) throw invalid('"tags" is not an object');
      for (const [key, tag] of Object.entries(tags as Record<string, unknown>)) {
        if (typeof tag === 'string') clean[key] = tag;
        else if (typeof tag === 'number' || typeof tag === 'boolean') clean[key] = String(tag);
      }
    }
    seen++;
    yield { metric, time: at + subMillisecond(time as string), value, tags: clean };
  }
}

/** Date.parse keeps milliseconds; k6 writes nanoseconds, and the fraction orders samples within a millisecond. */
function subMillisecond(time: string): number {
  const match = /\.\d{3}(\d{1,6})/.exec(time);
  return match ? Number(`0.${match[1]}`) : 0;
}

function isWarmup(tags: Record<string, string>): boolean {
  return tags[PHASE_TAG] === 'warmup' || tags.scenario === WARMUP_SCENARIO;
}

/** k6 error codes (k6 docs, "Error codes"): 1050 request timeout, 1211 dial timeout, 1212 connection refused, 1201 broken pipe, 1220 reset by peer. */
function networkErrorKind(code: string | undefined): ErrorKind {
  switch (code) {
    case '1050':
    case '1211':
      return 'timeout';
    case '1212':
      return 'refused';
    case '1201':
    case '1220':
      return 'reset';
    default:
      return 'other';
  }
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return undefined;
  }
}

function parseCarriedSpec(text: string, file: string): LoadSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: `the ${SPEC_METRIC} sample's spec is not JSON` });
  }
  const parsed = LoadSpecSchema.safeParse(json);
  if (!parsed.success) throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: `the spec the results carry is not a valid load spec: ${describeZodError(parsed.error)}` });
  return parsed.data;
}

/** A spec from what the results show, for k6 results of a script Tunebench did not export. */
function rebuildSpec(scan: Scan, file: string): LoadSpec {
  const byOrigin = new Map<string, number>();
  const entries = [...scan.requests].sort(([, a], [, b]) => b - a);
  for (const [key, count] of entries) {
    const origin = new URL(key.slice(key.indexOf(' ') + 1)).origin;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + count);
  }
  const origin = [...byOrigin].sort(([, a], [, b]) => b - a)[0]?.[0];
  const mix = entries
    .filter(([key]) => new URL(key.slice(key.indexOf(' ') + 1)).origin === origin)
    .slice(0, MAX_REBUILT_MIX)
    .map(([key, count]) => {
      const url = new URL(key.slice(key.indexOf(' ') + 1));
      return { method: key.slice(0, key.indexOf(' ')), path: `${url.pathname}${url.search}`, weight: count };
    });
  const raw = {
    kind: 'load',
    name: `k6 run against ${origin ?? 'an unknown target'}`,
    target: { type: 'url', url: origin },
    load: {
      mode: 'closed',
      connections: Math.min(1_000, Math.max(1, Math.round(scan.maxVus) || 1)),
      durationSec: Math.min(3_600, Math.max(0.2, Math.round((scan.lastMeasured - scan.firstMeasured) / 100) / 10)),
      warmupSec: Math.min(600, Math.max(0, Math.round((scan.firstMeasured - scan.firstTime) / 100) / 10)),
      mix,
    },
  };
  const parsed = LoadSpecSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TunebenchError('TB_IMPORT_INVALID', {
      file,
      detail: `the results carry no spec and none could be rebuilt from them (${describeZodError(parsed.error)}); pass --spec <load-spec.json>`,
    });
  }
  return parsed.data;
}

