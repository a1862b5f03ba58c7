/**
 * Findings of a load run: what limited it (server, connections, generator),
 * one worker taking most requests, event-loop delay spikes that line up with
 * GC pauses, errors by kind and when they started.
 */
import { LOAD_ERROR_KINDS, type LoadErrorKind } from '../../../shared/cluster-protocol.js';
import type { Finding, TryNext } from '../../../shared/findings.js';
import type { RunEvent } from '../../../shared/metrics.js';
import { parseSeriesName } from '../../../shared/series-names.js';
import {
  doublingSteps,
  evidence,
  intervalOf,
  measuredRange,
  median,
  metric,
  num,
  numberSetting,
  plural,
  setting,
  stretchWhere,
  type FindingInput,
  type FindingRule,
} from './rule.js';

const ERROR_WORDS: Record<LoadErrorKind, string> = {
  non2xx: 'non-2xx',
  timeout: 'timeout',
  reset: 'reset',
  refused: 'refused',
  other: 'other',
};
/** The busiest worker took this many times its fair share or more. */
export const IMBALANCE_MIN_OVER_FAIR = 1.5;
/** A delay sample is a spike above this many times the worker's median, and above SPIKE_MIN_MS. */
const SPIKE_OVER_MEDIAN = 3;
const SPIKE_MIN_MS = 20;
/** GC pauses shorter than this do not explain a spike. */
const GC_PAUSE_MIN_MS = 5;

const reasonsOf = (event: RunEvent | undefined): string[] =>
  Array.isArray(event?.data?.reasons) ? event.data.reasons.filter((reason): reason is string => typeof reason === 'string') : [];

const isCluster = (input: FindingInput) => setting(input.spec, 'target.type') === 'cluster';

/** What limited the run, one finding per cause it named: the server (what it was for), free connections, or the generator. */
export const limitedBy: FindingRule = (input, context) => {
  if (context.live) return undefined;
  const findings: Finding[] = [];
  const event = (type: string) => input.events.find((candidate) => candidate.type === type);
  const limited = (key: string, type: string) => metric(input, key) === 1 || event(type) !== undefined;
  const range = measuredRange(input);
  const throughput = metric(input, 'throughput');
  const connections = numberSetting(input.spec, 'load.connections');
  const because = (type: string) => {
    const reasons = reasonsOf(event(type));
    return reasons.length ? `: ${reasons.join('; ')}` : '';
  };
  if (limited('server.limited', 'server-limited')) {
    const workers = numberSetting(input.spec, 'target.cluster.workers');
    const cores = input.environment.cpuCount;
    const moreWorkers = isCluster(input) && workers !== undefined && workers < cores ? doublingSteps(workers, cores) : undefined;
    findings.push({
      id: 'load.server-limited',
      severity: 'info',
      title: `The server limited the run${because('server-limited')}; its throughput, not the load, is what was measured.`,
      evidence: [
        ...(throughput !== undefined ? [evidence('throughput', throughput, 'req/s')] : []),
        ...(metric(input, 'latency.p99') !== undefined ? [evidence('latency p99', metric(input, 'latency.p99')!, 'ms')] : []),
        ...(metric(input, 'achievedRatio') !== undefined ? [evidence('achieved ÷ requested rate', metric(input, 'achievedRatio')!, 'ratio')] : []),
      ],
      range,
      ...(moreWorkers
        ? { tryNext: { action: 'sweep' as const, label: `Sweep workers over ${moreWorkers.join(', ')}`, axis: { path: 'target.cluster.workers', values: moreWorkers } } }
        : {}),
    });
  }
  if (limited('connections.limited', 'connection-limited')) {
    const more = connections !== undefined ? doublingSteps(connections, connections * 4) : undefined;
    findings.push({
      id: 'load.connection-limited',
      severity: 'warning',
      title: `Connection-limited${because('connection-limited')}: arrivals waited for a free connection while the server answered in its usual time, so more connections would raise the rate.`,
      evidence: [
        ...(connections !== undefined ? [evidence('connections', connections, 'count')] : []),
        ...(metric(input, 'connectionWait.p90') !== undefined ? [evidence('wait for a connection p90', metric(input, 'connectionWait.p90')!, 'ms')] : []),
        ...(metric(input, 'response.p50') !== undefined ? [evidence('server response p50', metric(input, 'response.p50')!, 'ms')] : []),
      ],
      range,
      ...(more ? { tryNext: { action: 'sweep' as const, label: `Sweep connections over ${more.join(', ')}`, axis: { path: 'load.connections', values: more } } } : {}),
    });
  }
  if (limited('generator.limited', 'generator-limited')) {
    const rate = numberSetting(input.spec, 'load.rate');
    const lower: TryNext | undefined =
      rate !== undefined && throughput !== undefined && throughput > 0 && throughput < rate
        ? { action: 'rerun', label: `Rerun at ${num(Math.max(1, Math.round(throughput * 0.8)))} req/s`, patch: { 'load.rate': Math.max(1, Math.round(throughput * 0.8)) } }
        : undefined;
    findings.push({
      id: 'load.generator-limited',
      severity: 'problem',
      title: `The load generator limited the run${because('generator-limited')}: these figures measure the generator, not the server.`,
      evidence: [
        ...(metric(input, 'generator.utilization') !== undefined ? [evidence('generator busy', metric(input, 'generator.utilization')!, 'percent')] : []),
        ...(metric(input, 'generator.cpuPerRequest') !== undefined ? [evidence('generator CPU per request', metric(input, 'generator.cpuPerRequest')!, 'us')] : []),
        ...(throughput !== undefined ? [evidence('throughput', throughput, 'req/s')] : []),
      ],
      range,
      ...(lower ? { tryNext: lower } : {}),
    });
  }
  return findings;
};

/** Requests answered per worker slot: the summary's counts, or (live) the rps series over the measured window. */
function requestsByWorker(input: FindingInput): Map<number, number> {
  const counts = new Map<number, number>();
  for (const [name, value] of Object.entries(input.summary)) {
    const parsed = parseSeriesName(name);
    if (parsed.type === 'worker' && parsed.metric === 'requests') counts.set(parsed.slot, value.value);
  }
  if (counts.size) return counts;
  for (const [name, recorded] of Object.entries(input.series)) {
    const parsed = parseSeriesName(name);
    if (parsed.type !== 'worker' || parsed.metric !== 'rps') continue;
    let total = 0;
    for (let i = 0; i < recorded.t.length; i++) {
      const step = recorded.t[i]! - (i > 0 ? recorded.t[i - 1]! : recorded.t[i]! - intervalOf(recorded));
      total += (recorded.v[i]! * step) / 1000;
    }
    counts.set(parsed.slot, total);
  }
  return counts;
}

/** One worker took most requests: after a restart (keep-alive connections stay on the survivors) or by round-robin imbalance. */
export const workerImbalance: FindingRule = (input) => {
  const counts = requestsByWorker(input);
  if (counts.size < 2) return undefined;
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (!(total > 0)) return undefined;
  const [busiest, busiestCount] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const share = busiestCount / total;
  const overFair = share * counts.size;
  if (overFair < IMBALANCE_MIN_OVER_FAIR) return undefined;
  const restarts = input.events.filter((event) => event.type === 'restart' || event.type === 'worker-exit');
  const firstRestart = restarts[0];
  const restarted = [...new Set(restarts.map((event) => event.data?.slot).filter((slot): slot is number => typeof slot === 'number'))];
  const scheduling = setting(input.spec, 'target.cluster.scheduling');
  const numbers = [
    evidence(`worker ${busiest} share`, share, 'ratio'),
    evidence('fair share', 1 / counts.size, 'ratio'),
    evidence('busiest ÷ fair share', overFair, '×'),
    ...(restarted.length ? [evidence('restarted workers', restarted.join(', '))] : []),
  ];
  if (firstRestart) {
    return {
      id: 'load.worker-imbalance',
      severity: 'warning',
      title:
        `Worker ${busiest} took ${num(share * 100)}% of the requests (${num(overFair)}× its fair share): after ` +
        `${restarted.length ? `worker ${restarted.join(', ')}` : 'a worker'} restarted, the keep-alive connections stayed pinned to the workers that survived.`,
      evidence: numbers,
      range: { fromMs: firstRestart.t, toMs: measuredRange(input).toMs },
    };
  }
  const tryNext: TryNext | undefined =
    isCluster(input) && scheduling !== 'os'
      ? { action: 'sweep', label: 'Sweep scheduling over round-robin, os', axis: { path: 'target.cluster.scheduling', values: ['round-robin', 'os'] } }
      : undefined;
  return {
    id: 'load.worker-imbalance',
    severity: 'warning',
    title:
      `Worker ${busiest} took ${num(share * 100)}% of the requests (${num(overFair)}× its fair share) without a restart: ` +
      `the ${typeof scheduling === 'string' ? scheduling : 'round-robin'} scheduling spread the connections unevenly.`,
    evidence: numbers,
    range: measuredRange(input),
    ...(tryNext ? { tryNext } : {}),
  };
};

/** Event-loop delay spikes on a worker that line up with its GC pauses. */
export const delaySpikesWithGc: FindingRule = (input) => {
  const findings: Finding[] = [];
  const pauses = input.events.filter(
    (event) => event.type === 'gc' && typeof event.data?.duration === 'number' && event.data.duration >= GC_PAUSE_MIN_MS && typeof event.data.process === 'string',
  );
  if (!pauses.length) return undefined;
  for (const [name, recorded] of Object.entries(input.series)) {
    const parsed = parseSeriesName(name);
    if (parsed.type !== 'worker' || parsed.metric !== 'eld' || recorded.t.length < 3) continue;
    const process = `worker.${parsed.slot}`;
    const own = pauses.filter((event) => event.data!.process === process);
    if (!own.length) continue;
    const threshold = Math.max(SPIKE_MIN_MS, median(recorded.v) * SPIKE_OVER_MEDIAN);
    const step = intervalOf(recorded);
    const spikes: number[] = [];
    const lined: Array<{ t: number; pause: number }> = [];
    for (let i = 0; i < recorded.t.length; i++) {
      if (recorded.v[i]! < threshold) continue;
      const to = recorded.t[i]!;
      const from = i > 0 ? recorded.t[i - 1]! : to - step;
      spikes.push(i);
      // The sample covers the round before it; a pause in it (by the probe's time, else the event's) explains it.
      const pause = own.filter((event) => {
        const at = typeof event.data!.at === 'number' ? event.data!.at : event.t;
        return at >= from - step * 0.25 && at <= to + step * 0.25;
      });
      if (pause.length) lined.push({ t: to, pause: Math.max(...pause.map((event) => event.data!.duration as number)) });
    }
    if (spikes.length < 2 || lined.length < Math.max(2, spikes.length / 2)) continue;
    const worst = Math.max(...spikes.map((i) => recorded.v[i]!));
    const longest = Math.max(...lined.map((entry) => entry.pause));
    const range = stretchWhere(recorded, (value) => value >= threshold)!;
    findings.push({
      id: 'load.delay-spikes-gc',
      severity: 'warning',
      title:
        `Event-loop delay spikes on worker ${parsed.slot} (up to ${num(worst)} ms) line up with its GC pauses: ` +
        `${num(lined.length)} of ${plural(spikes.length, 'spike')} came with a pause of ${GC_PAUSE_MIN_MS} ms or more (the longest ${num(longest)} ms).`,
      evidence: [
        evidence('worst delay p99', worst, 'ms'),
        evidence('spikes', spikes.length, 'count'),
        evidence('spikes with a GC pause', lined.length, 'count'),
        evidence('longest pause', longest, 'ms'),
      ],
      range,
    });
  }
  return findings;
};

/** Errors by kind, and when they started. */
export const errorsByKind: FindingRule = (input) => {
  const counts = LOAD_ERROR_KINDS.map((kind) => {
    const fromSummary = metric(input, `errors.${kind}`);
    const recorded = input.series[`errors.${kind}`];
    const fromSeries = recorded ? recorded.v.reduce((sum, value) => sum + value, 0) : 0;
    return { kind, count: fromSummary ?? fromSeries };
  }).filter((entry) => entry.count > 0);
  if (!counts.length) return undefined;
  const total = counts.reduce((sum, entry) => sum + entry.count, 0);
  let first: number | undefined;
  let range: { fromMs: number; toMs: number } | undefined;
  for (const { kind } of counts) {
    const recorded = input.series[`errors.${kind}`];
    const stretch = recorded ? stretchWhere(recorded, (value) => value > 0) : undefined;
    if (!stretch) continue;
    first = Math.min(first ?? Infinity, stretch.fromMs);
    range = range ? { fromMs: Math.min(range.fromMs, stretch.fromMs), toMs: Math.max(range.toMs, stretch.toMs) } : stretch;
  }
  const rate = metric(input, 'errorRate');
  const byKind = counts.sort((a, b) => b.count - a.count).map(({ kind, count }) => `${ERROR_WORDS[kind]} ${num(count)}`).join(', ');
  // The series cover the measured window only: errors in its first interval were there from the start.
  const fromStart = counts.some(({ kind }) => (input.series[`errors.${kind}`]?.v[0] ?? 0) > 0);
  const when = first === undefined ? '' : fromStart ? ', from the start of the measured window' : `, the first by ${num(first / 1000)} s`;
  const start = input.events.find((event) => event.type === 'measure-start')?.t;
  if (fromStart && start !== undefined) {
    first = start;
    if (range) range = { fromMs: Math.min(range.fromMs, start), toMs: range.toMs };
  }
  return {
    id: 'load.errors',
    severity: rate !== undefined && rate < 1 ? 'warning' : 'problem',
    title: `${plural(total, 'request')} failed${rate !== undefined ? ` (${num(rate)}%)` : ''}: ${byKind}${when}.`,
    evidence: [
      ...counts.map(({ kind, count }) => evidence(`errors: ${ERROR_WORDS[kind]}`, count, 'count')),
      ...(rate !== undefined ? [evidence('error rate', rate, 'percent')] : []),
      ...(first !== undefined ? [evidence(fromStart ? 'errors from' : 'first errors by', first / 1000, 's')] : []),
    ],
    ...(range ? { range } : {}),
  };
};

export const loadRules: readonly FindingRule[] = [limitedBy, workerImbalance, delaySpikesWithGc, errorsByKind];
