/**
 * A load spec as a k6 script: pure, spec in, script text and notes out.
 *
 * Closed loop: `constant-vus` (one VU per connection; each VU keeps its own
 * keep-alive connection and sends the next request when the last answers),
 * or `shared-iterations` when the spec stops after a number of requests.
 * Open loop: `constant-arrival-rate`, VUs sized by Little's law from the
 * expected latency. Warm-up is a scenario of its own before the measured one,
 * every request is tagged with its phase and mix entry, and setup() adds one
 * `tunebench_spec` sample carrying the spec, so an import knows what ran.
 */
import type { LoadSpec } from '../../../shared/specs/load.js';
import {
  MAX_CARRIED_SPEC_CHARS,
  MEASURED_SCENARIO,
  MIX_TAG,
  PHASE_TAG,
  SPEC_METRIC,
  WARMUP_SCENARIO,
  type LoadExport,
} from '../../../shared/external.js';
import type { AnalysisTarget } from '../../../shared/studies.js';
import { TUNEBENCH_VERSION } from '../version.js';
import {
  baseFileName,
  clusterActionNotes,
  commentLines,
  durationText,
  expectedLatencyOf,
  measurementNotes,
  quote,
  targetOf,
  type ExportOptions,
} from './export-common.js';

/** k6's percentile function names for Tunebench's latency metrics. */
const LATENCY_STAT: Record<string, string> = {
  'latency.p50': 'p(50)',
  'latency.p90': 'p(90)',
  'latency.p95': 'p(95)',
  'latency.p99': 'p(99)',
  'latency.p999': 'p(99.9)',
  'latency.max': 'max',
  'latency.mean': 'avg',
};

/** A target as a k6 threshold on the measured phase, or why it cannot be one. */
export function k6Threshold(target: AnalysisTarget): { metric: string; expression: string } | { note: string } {
  const measured = `{${PHASE_TAG}:measured}`;
  const stat = LATENCY_STAT[target.metric];
  if (stat) return { metric: `http_req_duration${measured}`, expression: `${stat}${target.op}${target.value}` };
  if (target.metric === 'errorRate') {
    return { metric: `http_req_failed${measured}`, expression: `rate${target.op}${target.value / 100}` };
  }
  if (target.metric === 'throughput') {
    return { metric: `http_reqs${measured}`, expression: `rate${target.op}${target.value}` };
  }
  return { note: `Not expressed: the target ${target.metric} ${target.op} ${target.value} has no k6 threshold (k6 gates on latency, error rate and request rate).` };
}

export function k6Script(spec: LoadSpec, options: ExportOptions = {}): LoadExport {
  const { load } = spec;
  const notes: string[] = [];
  const target = targetOf(spec);
  notes.push(...target.notes, ...clusterActionNotes(spec));

  const warmupMs = Math.round(load.warmupSec * 1000);
  let durationMs = Math.round(load.durationSec * 1000);
  const timeout = `${load.timeoutMs}ms`;
  const scenarios: Record<string, Record<string, unknown>> = {};
  if (load.mode === 'closed') {
    const vus = load.connections;
    if (warmupMs > 0) {
      scenarios[WARMUP_SCENARIO] = { executor: 'constant-vus', vus, duration: durationText(warmupMs), gracefulStop: '0s', tags: { [PHASE_TAG]: 'warmup' } };
    }
    scenarios[MEASURED_SCENARIO] =
      load.requests === undefined
        ? { executor: 'constant-vus', vus, duration: durationText(durationMs) }
        : { executor: 'shared-iterations', vus, iterations: load.requests, maxDuration: durationText(durationMs) };
    notes.push(
      `Closed loop: ${vus} VU(s), one per connection; each sends its next request when the last answers, over its own keep-alive connection, as Tunebench's connections do.`,
    );
  } else {
    const rate = load.rate!;
    const latency = expectedLatencyOf(options);
    // Little's law: requests in flight = arrival rate × latency; twice that up front, ten times at most.
    const inFlight = (rate * latency.ms) / 1000;
    const preAllocatedVUs = Math.max(1, Math.ceil(inFlight * 2));
    const maxVUs = Math.max(preAllocatedVUs, load.connections, Math.ceil(inFlight * 10));
    const { value: rateValue, timeUnit } = integerRate(rate);
    if (timeUnit !== '1s') notes.push(`k6 takes whole arrivals per time unit: ${rate} req/s is ${rateValue} per ${timeUnit}.`);
    if (load.requests !== undefined) {
      const capMs = Math.round((load.requests / rate) * 1000);
      if (capMs < durationMs) {
        notes.push(`An arrival-rate scenario cannot stop after a number of requests: the ${load.requests} requests at ${rate} req/s become a measured phase of ${durationText(capMs)}.`);
        durationMs = capMs;
      }
    }
    const arrival = { executor: 'constant-arrival-rate', rate: rateValue, timeUnit, preAllocatedVUs, maxVUs };
    if (warmupMs > 0) {
      scenarios[WARMUP_SCENARIO] = { ...arrival, duration: durationText(warmupMs), gracefulStop: '0s', tags: { [PHASE_TAG]: 'warmup' } };
    }
    scenarios[MEASURED_SCENARIO] = { ...arrival, duration: durationText(durationMs) };
    notes.push(
      `Open loop: ${rate} req/s, ${preAllocatedVUs} VU(s) pre-allocated and at most ${maxVUs}, sized for ${latency.ms} ms per request from ${latency.from}. ` +
        `Where Tunebench queues an arrival that finds its ${load.connections} connection(s) busy (and calls the run connection-limited), k6 drops it when no VU is free; ` +
        'the import counts dropped iterations as unsent and compares the achieved rate with the requested one.',
      'k6 times each request from its actual send; Tunebench\'s open loop times from the intended send. They agree while k6 has a free VU for every arrival.',
    );
  }
  const measured = scenarios[MEASURED_SCENARIO]!;
  if (warmupMs > 0) measured.startTime = durationText(warmupMs);
  measured.gracefulStop = timeout;
  measured.tags = { [PHASE_TAG]: 'measured' };
  if (warmupMs > 0) {
    notes.push(`Warm-up: the scenario ${WARMUP_SCENARIO} (${durationText(warmupMs)}) runs first; its samples are tagged ${PHASE_TAG}=warmup and left out on import.`);
  }

  const thresholds: Record<string, string[]> = {};
  if (options.target) {
    const threshold = k6Threshold(options.target);
    if ('note' in threshold) notes.push(threshold.note);
    else {
      thresholds[threshold.metric] = [threshold.expression];
      notes.push(`Threshold from the target: ${threshold.metric} ${threshold.expression} (k6 exits 99 when it fails).`);
    }
  }

  const specJson = JSON.stringify(spec);
  const carriesSpec = specJson.length <= MAX_CARRIED_SPEC_CHARS;
  if (!carriesSpec) {
    notes.push(`The spec is larger than ${MAX_CARRIED_SPEC_CHARS / 1024} KB, so the results cannot carry it: import them with --spec <this spec>.`);
  }
  if (spec.sampleIntervalMs !== 1_000) notes.push(`The import groups samples every ${spec.sampleIntervalMs} ms, the spec's sampling interval.`);
  notes.push(...measurementNotes('k6'));

  const mix = load.mix.map((entry) => ({
    method: entry.method,
    path: entry.path,
    weight: entry.weight,
    body: entry.body ?? null,
    headers: entry.headers ?? {},
    name: `${entry.method} ${entry.path}`,
  }));
  const fileName = `${baseFileName(spec)}.k6.js`;
  const json = (value: unknown, indent = 2) => quoteJson(JSON.stringify(value, null, indent));
  const lines = [
    `// k6 script exported by Tunebench ${TUNEBENCH_VERSION} from a load spec${spec.name ? `: ${quote(spec.name)}` : ''}.`,
    '//',
    '// Run it and bring its results back:',
    `//   k6 run --out json=results.json.gz${target.url ? '' : ' -e TARGET_URL=http://<host>:<port>'} ${fileName}`,
    '//   tunebench import k6 results.json.gz',
    '// The results may be plain or gzipped NDJSON; --tag k6_version=<version> records the k6 version with them.',
    '//',
    '// Split across N machines: each runs its own execution segment (a share of the VUs, or of the arrival',
    '// rate), tagged with its instance, and each file is imported together as one run. For N = 4:',
    '//   k6 run --execution-segment "0:1/4"   --execution-segment-sequence "0,1/4,1/2,3/4,1" --tag instance_id=0 --out json=results-0.json.gz ' + fileName,
    '//   k6 run --execution-segment "1/4:1/2" --execution-segment-sequence "0,1/4,1/2,3/4,1" --tag instance_id=1 --out json=results-1.json.gz ' + fileName,
    '//   … (1/2:3/4 and 3/4:1 likewise)',
    '//   tunebench import k6 results-0.json.gz results-1.json.gz results-2.json.gz results-3.json.gz',
    '// The k6 Operator (a TestRun with parallelism: 4) assigns the segments and the instance_id tag itself.',
    '//',
    '// What runs differently from Tunebench, and what the spec has that this script cannot express:',
    ...notes.map((note) => `//  - ${quoteComment(note)}`),
    '//',
    '// The spec this script came from:',
    ...commentLines('//', spec),
    '',
    "import http from 'k6/http';",
    "import { Counter } from 'k6/metrics';",
    '',
    `const TARGET_URL = (__ENV.TARGET_URL || ${target.url ? quote(target.url) : "''"}).replace(/\\/$/, '');`,
    ...(target.url ? [] : ["if (!TARGET_URL) throw new Error('set TARGET_URL (k6 run -e TARGET_URL=http://host:port …): the spec\\'s target is a Tunebench cluster');"]),
    `const MIX = ${json(mix)};`,
    'const TOTAL_WEIGHT = MIX.reduce((sum, entry) => sum + entry.weight, 0);',
    `const TIMEOUT = ${quote(timeout)};`,
    ...(carriesSpec ? [`const SPEC = ${json(spec, 0)};`] : []),
    '',
    `export const options = ${json({
      discardResponseBodies: true,
      summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(99)', 'p(99.9)', 'max'],
      scenarios,
      ...(Object.keys(thresholds).length ? { thresholds } : {}),
    })};`,
    '',
    ...(carriesSpec
      ? [
          `const specCarrier = new Counter(${quote(SPEC_METRIC)});`,
          '',
          '// One sample that carries the spec into the results, so an import knows what ran.',
          'export function setup() {',
          '  specCarrier.add(1, { spec: JSON.stringify(SPEC) });',
          '}',
          '',
        ]
      : []),
    'export default function () {',
    '  let pick = Math.random() * TOTAL_WEIGHT;',
    '  let index = 0;',
    '  while (index < MIX.length - 1 && pick >= MIX[index].weight) {',
    '    pick -= MIX[index].weight;',
    '    index++;',
    '  }',
    '  const entry = MIX[index];',
    '  http.request(entry.method, TARGET_URL + entry.path, entry.body, {',
    '    headers: entry.headers,',
    '    timeout: TIMEOUT,',
    `    tags: { ${MIX_TAG}: String(index), name: entry.name },`,
    '  });',
    '}',
    '',
  ];
  return { fileName, mimeType: 'text/javascript', content: lines.join('\n'), notes };
}

/** A rate k6 accepts (whole arrivals per time unit). */
function integerRate(rate: number): { value: number; timeUnit: string } {
  if (Number.isInteger(rate)) return { value: rate, timeUnit: '1s' };
  for (const seconds of [10, 100, 1000]) {
    const value = rate * seconds;
    if (Math.abs(value - Math.round(value)) < 1e-9) return { value: Math.round(value), timeUnit: `${seconds}s` };
  }
  return { value: Math.round(rate * 1000), timeUnit: '1000s' };
}

function quoteJson(text: string): string {
  return text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Notes quote spec text (its name); keep a note on its comment line. */
function quoteComment(text: string): string {
  return quoteJson(text).replace(/[\r\n]/g, ' ');
}
