/**
 * A load spec as an Artillery script (YAML): pure, spec in, text and notes out.
 *
 * Artillery's model is open loop: phases of arrivals, each arrival a virtual
 * user that runs one scenario. Every mix entry is a scenario of its weight
 * with one request named "tb<i> <METHOD> <path>" (the metrics-by-endpoint
 * plugin reports per name). A warm-up phase, then a pause of 10 s (Artillery
 * reports in 10 s periods, so none mixes warm-up and measured requests), then
 * the measured phase. A closed loop becomes arrivals at the rate its
 * connections would make at the expected latency, capped at as many users in
 * flight as it has connections, and the notes say so.
 */
import type { LoadSpec } from '../../../shared/specs/load.js';
import { ARTILLERY_WARMUP_GAP_SEC, artilleryRequestName, type LoadExport } from '../../../shared/external.js';
import type { AnalysisTarget } from '../../../shared/studies.js';
import { TUNEBENCH_VERSION } from '../version.js';
import {
  baseFileName,
  clusterActionNotes,
  commentLines,
  expectedLatencyOf,
  measurementNotes,
  quote,
  refuse,
  targetOf,
  type ExportOptions,
} from './export-common.js';

const LATENCY_STAT: Record<string, string> = {
  'latency.p50': 'p50',
  'latency.p90': 'p90',
  'latency.p95': 'p95',
  'latency.p99': 'p99',
  'latency.p999': 'p999',
  'latency.max': 'max',
  'latency.mean': 'mean',
};

/** A target as an Artillery ensure condition, or why it cannot be one. */
export function artilleryCondition(target: AnalysisTarget): { expression: string } | { note: string } {
  const stat = LATENCY_STAT[target.metric];
  if (stat) return { expression: `http.response_time.${stat} ${target.op} ${target.value}` };
  return { note: `Not expressed: the target ${target.metric} ${target.op} ${target.value} has no Artillery ensure condition here (latency targets only).` };
}

export function artilleryScript(spec: LoadSpec, options: ExportOptions = {}): LoadExport {
  const { load } = spec;
  for (const [index, entry] of load.mix.entries()) {
    const texts = [entry.path, entry.body ?? '', ...Object.entries(entry.headers ?? {}).flat()];
    // Artillery expands {{ … }} in URLs, bodies and headers, environment variables included: a spec must not make the script send them.
    if (texts.some((text) => text.includes('{{'))) {
      refuse('Artillery', `mix entry ${index} contains "{{", which Artillery would expand as a template (environment variables included); remove it to export to Artillery`);
    }
  }
  const notes: string[] = [];
  const target = targetOf(spec);
  notes.push(...target.notes.map((note) => note.replace('as TARGET_URL', 'with artillery run --target http://<host>:<port>')), ...clusterActionNotes(spec));

  let rate: number;
  let maxVusers: number | undefined;
  if (load.mode === 'open') {
    rate = load.rate!;
    maxVusers = undefined;
    notes.push(
      `Open loop: ${rate} arrivals/s. Each Artillery virtual user makes one request on a connection of its own (a TCP connect per request, where Tunebench reuses its ${load.connections} connection(s)), and Artillery does not cap users in flight as Tunebench's connections do.`,
    );
  } else {
    const latency = expectedLatencyOf(options);
    rate = Math.max(1, Math.round((load.connections * 1000) / latency.ms));
    maxVusers = load.connections;
    notes.push(
      `Closed loop becomes open loop: Artillery's model is arrivals, not connections that wait for their answer. The ${load.connections} connection(s) become ${rate} arrivals/s ` +
        `(${load.connections} ÷ ${latency.ms} ms from ${latency.from}) with at most ${load.connections} users in flight (maxVusers). ` +
        'Where the target is slower, Tunebench would send less and Artillery skips arrivals; where it is faster, Tunebench would send more: pass the throughput a native run measured as the rate (--expected-latency) to load it alike.',
      'Each Artillery virtual user makes one request on a connection of its own (a TCP connect per request), where Tunebench reuses its connections.',
    );
  }
  if (!Number.isInteger(rate)) {
    notes.push(`Artillery takes whole arrivals per second: ${rate} req/s becomes ${Math.round(rate)}.`);
    rate = Math.max(1, Math.round(rate));
  }
  const seconds = (value: number, what: string) => {
    const whole = Math.max(1, Math.round(value));
    if (whole !== value) notes.push(`Artillery phases last whole seconds: the ${what} of ${value} s becomes ${whole} s.`);
    return whole;
  };
  let measuredSec = load.durationSec;
  if (load.requests !== undefined && load.requests / rate < measuredSec) {
    notes.push(`An Artillery phase cannot stop after a number of requests: the ${load.requests} requests at ${rate} req/s become a measured phase of ${load.requests / rate} s.`);
    measuredSec = load.requests / rate;
  }
  const phases: string[] = [];
  const phase = (name: string, duration: number) => [
    `    - name: ${quote(name)}`,
    `      duration: ${duration}`,
    `      arrivalRate: ${rate}`,
    ...(maxVusers !== undefined ? [`      maxVusers: ${maxVusers}`] : []),
  ];
  if (load.warmupSec > 0) {
    phases.push(...phase('tb_warmup', seconds(load.warmupSec, 'warm-up')), '    - name: "tb_gap"', `      pause: ${ARTILLERY_WARMUP_GAP_SEC}`);
    notes.push(
      `Warm-up: a phase of its own, then ${ARTILLERY_WARMUP_GAP_SEC} s without requests (Artillery reports in 10 s periods); the import leaves out the periods before that gap.`,
    );
  }
  phases.push(...phase('tb_measured', seconds(measuredSec, 'measured phase')));

  const ensure: string[] = [];
  if (options.target) {
    const condition = artilleryCondition(options.target);
    if ('note' in condition) notes.push(condition.note);
    else {
      ensure.push('  ensure:', '    conditions:', `      - expression: ${quote(condition.expression)}`);
      notes.push(`Check from the target: ${condition.expression} (Artillery's ensure judges the whole run, warm-up included; it exits 1 when it fails).`);
    }
  }

  const weights = load.mix.map((entry) => entry.weight);
  const integral = weights.every(Number.isInteger);
  if (!integral) notes.push('Artillery weights are whole numbers: the mix weights are scaled by 1000 and rounded.');
  notes.push(
    'Artillery reports latency in whole milliseconds and in 10 s periods: the imported series have one point per period, and the measured window\'s percentiles are the periods\' percentiles averaged by count.',
    ...measurementNotes('Artillery'),
  );

  const fileName = `${baseFileName(spec)}.artillery.yml`;
  const scenarios = load.mix.flatMap((entry, index) => {
    const name = artilleryRequestName(index, entry.method, entry.path);
    const weight = integral ? entry.weight : Math.max(1, Math.round(entry.weight * 1000));
    const headers = Object.entries(entry.headers ?? {});
    return [
      `  - name: ${quote(name)}`,
      `    weight: ${weight}`,
      '    flow:',
      `      - ${entry.method.toLowerCase()}:`,
      `          url: ${quote(entry.path)}`,
      `          name: ${quote(name)}`,
      ...(headers.length ? ['          headers:', ...headers.map(([key, value]) => `            ${quote(key)}: ${quote(value)}`)] : []),
      ...(entry.body !== undefined ? [`          body: ${quote(entry.body)}`] : []),
    ];
  });
  const lines = [
    `# Artillery script exported by Tunebench ${TUNEBENCH_VERSION} from a load spec${spec.name ? `: ${quote(spec.name)}` : ''}.`,
    '#',
    '# Run it and bring its report back:',
    `#   artillery run --output report.json${target.url ? '' : ' --target http://<host>:<port>'} ${fileName}`,
    '#   tunebench import artillery report.json',
    '# On AWS Fargate: artillery run-fargate --count 4 --output report.json … (one merged report).',
    '#',
    '# What runs differently from Tunebench, and what the spec has that this script cannot express:',
    ...notes.map((note) => `#  - ${quote(note).slice(1, -1)}`),
    '#',
    '# The spec this script came from:',
    ...commentLines('#', spec),
    'config:',
    `  target: ${quote(target.url ?? 'http://127.0.0.1:8080')}`,
    '  http:',
    `    timeout: ${load.timeoutMs / 1000}`,
    '  phases:',
    ...phases,
    '  plugins:',
    '    metrics-by-endpoint:',
    '      useOnlyRequestNames: true',
    ...ensure,
    'scenarios:',
    ...scenarios,
    '',
  ];
  return { fileName, mimeType: 'application/yaml', content: lines.join('\n'), notes };
}
