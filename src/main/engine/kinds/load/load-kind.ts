import { loadRunName } from '../../../../shared/run-names.js';
import { LOAD_ERROR_KINDS, LOAD_ERROR_LABELS, type ClusterEvent, type LoadInterval, type LoadLimitCause, type LoadResult } from '../../../../shared/cluster-protocol.js';
import { TunebenchError } from '../../../../shared/errors.js';
import { shortWindowWarning } from '../../../../shared/measured-window.js';
import type { MetricValue, Unit } from '../../../../shared/metrics.js';
import { type WorkerStatus } from '../../../../shared/specs/cluster.js';
import { LoadSpecSchema, type LoadSpec } from '../../../../shared/specs/load.js';
import type { Artifact } from '../../../../shared/run-record.js';
import { ProbeBatchSchema } from '../../../../shared/runtime.js';
import { workerProcess, workerSeriesName, type RuntimeMetric, type WorkerMetric } from '../../../../shared/series-names.js';
import { warnIfOversubscribed } from '../guardrail.js';
import type { ExperimentKindRunner, KindResult, RunContext, RunSink } from '../kind.js';
import { ProbeSeriesWriter, processLabel } from '../../runtime/probe-writer.js';
import { runtimeSubjects } from '../../runtime/subjects.js';
import type { ChildRegistry } from '../../processes/child-registry.js';
import { ClusterProbes } from '../../cluster/cluster-probes.js';
import type { ClusterService } from '../../cluster/cluster-service.js';
import { LoadGeneratorThread } from './load-generator-thread.js';
import { SupervisedCluster } from '../../cluster/supervised-cluster.js';
import { isStartFailure, ServiceUnderLoad, type ServiceTargetServices } from './service-target.js';

type MixEntry = LoadSpec['load']['mix'][number];

export interface LoadKindServices extends ServiceTargetServices {
  children: ChildRegistry;
  clusters: ClusterService;
}

const LATENCY_SERIES = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
const WORKER_SERIES: ReadonlyArray<{ metric: WorkerMetric; unit: Unit; label: string }> = [
  { metric: 'rps', unit: 'req/s', label: 'requests/s' },
  { metric: 'eld', unit: 'ms', label: 'event-loop delay p99' },
  { metric: 'cpu', unit: 'percent', label: 'CPU' },
  { metric: 'heap', unit: 'MB', label: 'heap used' },
];

interface Target {
  origin: string;
  basePath: string;
  cluster: SupervisedCluster | undefined;
  /** Whether this run started the cluster and must stop it. */
  owned: boolean;
  /** The user's service this run started (and stops). */
  service?: ServiceUnderLoad;
}

async function resolveTarget(
  spec: LoadSpec,
  sink: RunSink,
  signal: AbortSignal,
  services: LoadKindServices,
  context: RunContext,
  artifacts: Artifact[],
): Promise<Target | KindResult> {
  switch (spec.target.type) {
    case 'service': {
      const started = await ServiceUnderLoad.start(spec.target, sink, signal, context, services, artifacts);
      if (isStartFailure(started)) {
        return { summary: {}, ...started };
      }
      return { origin: started.origin, basePath: started.basePath, cluster: undefined, owned: false, service: started };
    }
    case 'url': {
      const url = new URL(spec.target.url);
      return { origin: url.origin, basePath: url.pathname.replace(/\/$/, ''), cluster: undefined, owned: false };
    }
    case 'running-cluster': {
      const cluster = services.clusters.current;
      if (!cluster) {
        throw new TunebenchError('TB_CLUSTER_NOT_RUNNING', {
          alternative: ', or use target type "cluster" to start one for this run',
        });
      }
      return { origin: cluster.address, basePath: '', cluster, owned: false };
    }
    case 'cluster': {
      const cluster = await SupervisedCluster.start(services.children, context.workersDir, spec.target.cluster, context.nodeRuntime);
      return { origin: cluster.address, basePath: '', cluster, owned: true };
    }
  }
}

/**
 * The per-worker view of a run on a Tunebench cluster. Requests/s per worker
 * come from the generator's own count of which worker answered (exact, on
 * the same time axis as throughput, a killed worker's last answers
 * included); event-loop delay, CPU and heap from the supervisor's rounds.
 */
class WorkerSeries {
  private readonly slots = new Set<number>();
  private readonly restarts = new Map<number, number>();

  constructor(private readonly sink: RunSink, initial: WorkerStatus[]) {
    for (const worker of initial) this.declare(worker.slot);
  }

  /** One measured interval of the generator: every known slot gets a point, 0 when it answered nothing. */
  interval(interval: LoadInterval, t: number): void {
    for (const slot of Object.keys(interval.byWorker)) this.declare(Number(slot));
    const seconds = interval.durationMs / 1000;
    for (const slot of this.slots) this.sink.sample(workerSeriesName(slot, 'rps'), (interval.byWorker[slot] ?? 0) / seconds, t);
  }

  /** One supervisor round, asked at run time t. */
  round(workers: WorkerStatus[], t: number): void {
    for (const worker of workers) {
      this.declare(worker.slot);
      // A worker that is not running has no loop, CPU or heap to show: a gap, not a zero.
      if (worker.state !== 'running') continue;
      this.sink.sample(workerSeriesName(worker.slot, 'eld'), worker.eldP99Ms, t);
      this.sink.sample(workerSeriesName(worker.slot, 'cpu'), worker.cpuPercent, t);
      this.sink.sample(workerSeriesName(worker.slot, 'heap'), worker.heapUsedMb, t);
    }
  }

  event(event: ClusterEvent): void {
    if (event.type === 'restart' && event.slot !== undefined) this.restarts.set(event.slot, (this.restarts.get(event.slot) ?? 0) + 1);
  }

  /** Requests, share and restarts per worker over the run; `byWorker` is the generator's count of measured requests. */
  summary(byWorker: Record<string, number>): Record<string, MetricValue> {
    for (const slot of Object.keys(byWorker)) this.declare(Number(slot));
    const served = [...this.slots].sort((a, b) => a - b).map((slot) => ({ slot, count: byWorker[slot] ?? 0 }));
    const total = served.reduce((sum, entry) => sum + entry.count, 0);
    const values: Record<string, MetricValue> = {};
    for (const { slot, count } of served) {
      const whose = processLabel(workerProcess(slot));
      values[workerSeriesName(slot, 'requests')] = { value: count, unit: 'count', label: `${whose}requests answered`, better: 'neither' };
      values[workerSeriesName(slot, 'share')] = {
        value: total ? (count / total) * 100 : 0,
        unit: 'percent',
        label: `${whose}share of requests`,
        better: 'neither',
      };
      values[workerSeriesName(slot, 'restarts')] = { value: this.restarts.get(slot) ?? 0, unit: 'count', label: `${whose}restarts`, better: 'lower' };
    }
    if (served.length > 1 && total > 0) {
      const shares = served.map((entry) => entry.count / total);
      // 1.0 is a perfectly even spread; higher means one worker took more than its share.
      values['balance.maxOverFair'] = {
        value: Math.max(...shares) * served.length,
        unit: '×',
        label: 'busiest worker share ÷ fair share',
        better: 'lower',
      };
    }
    return values;
  }

  private declare(slot: number): void {
    if (this.slots.has(slot)) return;
    this.slots.add(slot);
    for (const { metric, unit, label } of WORKER_SERIES) this.sink.declareSeries(workerSeriesName(slot, metric), unit, `${processLabel(workerProcess(slot))}${label}`);
  }
}

/** Probe series the supervisor's rounds already give per worker (worker.<slot>.heap, .eld, .cpu). */
const REPORTED_BY_SUPERVISOR: ReadonlySet<RuntimeMetric> = new Set<RuntimeMetric>(['heapUsed', 'cpu', 'eldP50', 'eldP99', 'eldMax']);

/**
 * Each test server's runtime from its probe (relayed by the supervisor):
 * heap spaces, rss/external, GC pauses and events as worker.<slot>.* series.
 * One writer per slot, so a replaced worker continues its slot's lines.
 */
class WorkerRuntime {
  private readonly writers = new Map<number, ProbeSeriesWriter>();
  readonly dispose: () => void;

  constructor(private readonly sink: RunSink, cluster: SupervisedCluster) {
    this.dispose = cluster.onProbe((envelope) => {
      if (envelope.slot === undefined) return;
      const batch = ProbeBatchSchema.safeParse(envelope.message);
      if (batch.success) this.writerFor(envelope.slot).write(batch.data);
    });
  }

  summary(): Record<string, MetricValue> {
    return Object.assign({}, ...[...this.writers.values()].map((writer) => writer.summary())) as Record<string, MetricValue>;
  }

  private writerFor(slot: number): ProbeSeriesWriter {
    let writer = this.writers.get(slot);
    if (!writer) {
      writer = new ProbeSeriesWriter(this.sink, {
        process: workerProcess(slot),
        include: (metric) => !REPORTED_BY_SUPERVISOR.has(metric),
        // A server under load scavenges many times a second: the timeline keeps the pauses worth seeing; totals count all.
        keepGcEvent: (event) => event.kind !== 'minor' || event.durationMs >= 1,
      });
      this.writers.set(slot, writer);
    }
    return writer;
  }
}

/** An entry of the request mix as people name it: 'GET /io?ms=20'. */
export function mixLabel(entry: { method: string; path: string }): string {
  return `${entry.method} ${entry.path}`;
}

function declareLoadSeries(sink: RunSink, mix: readonly MixEntry[]): void {
  sink.declareSeries('throughput', 'req/s', 'throughput');
  // Per endpoint, named as imported k6 and Artillery runs name them (engine/external/external-run.ts).
  mix.forEach((entry, index) => {
    sink.declareSeries(`mix.${index}.latency.p99`, 'ms', `${mixLabel(entry)}: latency p99`);
    sink.declareSeries(`mix.${index}.throughput`, 'req/s', `${mixLabel(entry)}: throughput`);
  });
  for (const p of LATENCY_SERIES) sink.declareSeries(`latency.${p}`, 'ms', `latency ${p}`);
  for (const kind of LOAD_ERROR_KINDS) sink.declareSeries(`errors.${kind}`, 'count', LOAD_ERROR_LABELS[kind]);
  sink.declareSeries('inflight', 'count', 'requests in flight');
  sink.declareSeries('generator.eld', 'ms', 'generator event-loop delay p99');
  sink.declareSeries('generator.utilization', 'percent', 'generator thread busy');
}

function sampleInterval(sink: RunSink, interval: LoadInterval, t: number): void {
  sink.sample('throughput', interval.rps, t);
  interval.byMix?.forEach((entry, index) => {
    sink.sample(`mix.${index}.throughput`, entry.requests / (interval.durationMs / 1000), t);
    if (entry.latencyMs) sink.sample(`mix.${index}.latency.p99`, entry.latencyMs.p99, t);
  });
  // An interval without answers measured no latency: it gets no point, rather than a latency of 0.
  const latency = interval.latencyMs;
  if (latency) for (const p of LATENCY_SERIES) sink.sample(`latency.${p}`, latency[p], t);
  for (const kind of LOAD_ERROR_KINDS) sink.sample(`errors.${kind}`, interval.errors[kind], t);
  sink.sample('inflight', interval.inFlight, t);
  sink.sample('generator.eld', interval.generatorEldP99Ms, t);
  sink.sample('generator.utilization', interval.generatorUtilization * 100, t);
}

/** Each limit cause's event type and summary key (1 = it limited the run). */
const LIMITS: Record<LoadLimitCause, { event: string; key: string; label: string }> = {
  generator: { event: 'generator-limited', key: 'generator.limited', label: 'generator-limited: its CPU, event loop or backlog (1 = yes)' },
  connections: { event: 'connection-limited', key: 'connections.limited', label: 'connection-limited: arrivals waited for a free connection (1 = yes)' },
  server: { event: 'server-limited', key: 'server.limited', label: 'server-limited: the target did not keep up (1 = yes)' },
};

/** Requests, errors and latency of each endpoint of the mix, under the names imported runs use. */
function mixSummary(result: LoadResult, mix: readonly MixEntry[]): Record<string, MetricValue> {
  const values: Record<string, MetricValue> = {};
  result.byMix?.forEach((entry, index) => {
    const label = mixLabel(mix[index] ?? { method: 'mix', path: String(index) });
    values[`mix.${index}.requests`] = { value: entry.requests, unit: 'count', label: `${label}: requests answered`, better: 'higher' };
    values[`mix.${index}.errors`] = { value: entry.errors, unit: 'count', label: `${label}: errors`, better: 'lower' };
    if (entry.latencyMs) {
      values[`mix.${index}.latency.p50`] = { value: entry.latencyMs.p50, unit: 'ms', label: `${label}: latency p50`, better: 'lower' };
      values[`mix.${index}.latency.p99`] = { value: entry.latencyMs.p99, unit: 'ms', label: `${label}: latency p99`, better: 'lower' };
      values[`mix.${index}.latency.max`] = { value: entry.latencyMs.max, unit: 'ms', label: `${label}: latency max`, better: 'lower' };
    }
  });
  return values;
}

function resultSummary(result: LoadResult): Record<string, MetricValue> {
  const errors = LOAD_ERROR_KINDS.reduce((sum, kind) => sum + result.errors[kind], 0);
  const attempts = result.requests + errors - result.errors.non2xx;
  const unfinished = result.unfinished.unsent + result.unfinished.unanswered;
  const measured = attempts + unfinished;
  const limited = new Set(result.limitedBy.map((limit) => limit.cause));
  const summary: Record<string, MetricValue> = {
    requests: { value: result.requests, unit: 'count', label: 'Requests answered (sent in the measured window)', better: 'higher' },
    throughput: { value: result.rps, unit: 'req/s', label: 'Throughput (answers received per second in the measured window)', better: 'higher' },
    errors: { value: errors, unit: 'count', label: 'errors (all kinds)', better: 'lower' },
    errorRate: { value: attempts ? (errors / attempts) * 100 : 0, unit: 'percent', label: 'error rate', better: 'lower' },
    unfinished: {
      value: unfinished,
      unit: 'count',
      label: 'Unfinished: sent in the window, unsent or unanswered when the run stopped waiting',
      better: 'lower',
    },
  };
  for (const cause of ['generator', 'connections', 'server'] as const) {
    const { key, label } = LIMITS[cause];
    summary[key] = { value: limited.has(cause) ? 1 : 0, unit: 'count', label, better: 'lower' };
  }
  Object.assign(summary, {
    'generator.cpuPerRequest': { value: result.cpuUsPerRequest, unit: 'us', label: 'generator CPU per request', better: 'lower' },
    'generator.utilization': { value: result.generatorUtilization * 100, unit: 'percent', label: 'generator utilisation', better: 'neither' },
    measuredSec: { value: result.durationMs / 1000, unit: 's', label: 'measured window', better: 'neither' },
  } satisfies Record<string, MetricValue>);
  // Without a single answer there is no latency to report (0 would read as instant).
  if (result.requests > 0 || unfinished > 0) {
    // Unfinished requests are in the percentiles at their censored latency, so the worst ones are not left out.
    const counted = unfinished > 0 ? ` (${unfinished} unfinished counted at end − intended send: a lower bound)` : '';
    for (const p of [...LATENCY_SERIES, 'mean'] as const) {
      summary[`latency.${p}`] = { value: result.latencyMs[p], unit: 'ms', label: `latency ${p}${counted}`, better: 'lower' };
    }
    if (unfinished > 0) {
      summary.unfinishedShare = {
        value: measured ? (unfinished / measured) * 100 : 0,
        unit: 'percent',
        label: 'unfinished share of measured requests (their latency is censored)',
        better: 'lower',
      };
    }
  }
  for (const kind of LOAD_ERROR_KINDS) summary[`errors.${kind}`] = { value: result.errors[kind], unit: 'count', label: LOAD_ERROR_LABELS[kind], better: 'lower' };
  if (result.unfinished.unsent > 0) summary['unfinished.unsent'] = { value: result.unfinished.unsent, unit: 'count', label: 'unfinished: never sent (waited for a connection)', better: 'lower' };
  if (result.unfinished.unanswered > 0) summary['unfinished.unanswered'] = { value: result.unfinished.unanswered, unit: 'count', label: 'unfinished: sent, not answered', better: 'lower' };
  if (result.requestedRate !== undefined) {
    summary.requestedRate = { value: result.requestedRate, unit: 'req/s', better: 'neither' };
    summary.achievedRatio = { value: result.rps / result.requestedRate, unit: 'ratio', label: 'achieved ÷ requested rate', better: 'higher' };
    summary.dropped = { value: result.dropped, unit: 'count', label: 'arrivals dropped (backlog full)', better: 'lower' };
  }
  if (result.openLoop) {
    const { connectionWaitP90Ms, responseP50Ms } = result.openLoop;
    summary['connectionWait.p90'] = { value: connectionWaitP90Ms, unit: 'ms', label: 'wait for a free connection p90', better: 'lower' };
    if (responseP50Ms !== undefined) {
      summary['response.p50'] = { value: responseP50Ms, unit: 'ms', label: 'target response time p50 (from the actual send)', better: 'lower' };
    }
  }
  return summary;
}

function recordClusterEvent(sink: RunSink, event: ClusterEvent): void {
  sink.event(event.type, event.message, { ...(event.slot !== undefined ? { slot: event.slot } : {}), ...event.data });
}

/** Arms the spec's scheduled faults and rolling restart, timed from now (the start of the measured window); returns their disposer. */
function scheduleActions(spec: LoadSpec, cluster: SupervisedCluster, sink: RunSink): () => void {
  const timers: NodeJS.Timeout[] = [];
  const at = (seconds: number, action: () => Promise<unknown>, what: string) => {
    timers.push(
      setTimeout(() => {
        action().catch((error: unknown) =>
          sink.event('fault-failed', `${what} failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }, seconds * 1000),
    );
  };
  for (const { atSec, fault } of spec.faults) at(atSec, () => cluster.fault(fault), `fault ${fault.action} on worker ${fault.slot}`);
  if (spec.rollingRestartAtSec !== undefined) at(spec.rollingRestartAtSec, () => cluster.rollingRestart(), 'rolling restart');
  return () => timers.forEach(clearTimeout);
}

async function runLoad(
  spec: LoadSpec,
  sink: RunSink,
  signal: AbortSignal,
  context: RunContext,
  services: LoadKindServices,
): Promise<KindResult> {
  declareLoadSeries(sink, spec.load.mix);
  const artifacts: Artifact[] = [];
  const resolved = await resolveTarget(spec, sink, signal, services, context, artifacts);
  if (!('origin' in resolved)) return resolved;
  const target = resolved;
  const service = target.service;
  const cleanups: Array<() => void> = [];
  let clusterLost: string | undefined;
  let serviceLost: string | undefined;
  try {
    const cluster = target.cluster;
    let workers: WorkerSeries | undefined;
    let runtime: WorkerRuntime | undefined;
    if (cluster) {
      const series = (workers = new WorkerSeries(sink, cluster.workers));
      runtime = new WorkerRuntime(sink, cluster);
      cleanups.push(runtime.dispose);
      if (target.owned) {
        // The standing cluster is inspectable already; a run's own cluster is, while the run lasts, with files in its folder.
        const probes = new ClusterProbes(cluster, {
          registry: runtimeSubjects,
          artifactDir: context.runDir,
          runId: context.runId,
          addArtifact: (artifact) => artifacts.push(artifact),
        });
        cleanups.push(() => probes.dispose());
      }
      const record = (event: ClusterEvent) => {
        recordClusterEvent(sink, event);
        series.event(event);
      };
      if (target.owned) for (const event of cluster.earlyEvents) record(event);
      cleanups.push(
        // The supervisor stamps a round with the wall-clock time it asked; the run's axis is its own elapsed time.
        cluster.onWorkers((list, at) => series.round(list, sink.elapsed() - (Date.now() - at))),
        cluster.onEvent(record),
        cluster.onOutput(({ stream, line }) => sink.log(stream === 'stdout' ? 'info' : 'warn', `cluster ${stream}: ${line}`)),
      );
      sink.log('info', `load on ${cluster.address} (${cluster.settings.workers} workers, node ${cluster.runtime.version})`);
    }
    const totalMs = (spec.load.warmupSec + spec.load.durationSec) * 1000;
    let setupMs: number | undefined;
    const generator = new LoadGeneratorThread(
      context.workersDir,
      { origin: target.origin, basePath: target.basePath, settings: spec.load, sampleIntervalMs: spec.sampleIntervalMs },
      {
        measuring: () => {
          setupMs = sink.elapsed();
          sink.event(
            'measure-start',
            `measured window of ${spec.load.durationSec} s began after ${(setupMs / 1000).toFixed(2)} s of setup and warm-up`,
            { setupMs },
          );
          if (cluster) cleanups.push(scheduleActions(spec, cluster, sink));
        },
        interval: (interval) => {
          sink.progress(Math.min(interval.elapsedMs, totalMs), totalMs);
          // Warm-up is visible live through progress but kept out of the series the record compares.
          if (interval.phase === 'warmup') return;
          const t = sink.elapsed();
          sampleInterval(sink, interval, t);
          workers?.interval(interval, t);
        },
      },
    );
    if (cluster) {
      cleanups.push(
        cluster.onUnexpectedExit(() => {
          clusterLost = 'the cluster supervisor exited during the run';
          sink.event('cluster-lost', clusterLost);
          generator.stop();
        }),
      );
    }
    if (service) {
      cleanups.push(
        service.onLost((reason) => {
          serviceLost = reason;
          sink.event('service-lost', `service ${service.instance.name} ${reason}`);
          generator.stop();
        }),
      );
      sink.log('info', `load on service ${service.instance.name} at ${service.instance.url}`);
    }
    const onAbort = () => generator.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) generator.stop();

    const result = await generator.result;
    for (const latency of result.latencySample) sink.observe('latency', 'ms', latency);
    for (const { cause, reasons } of result.limitedBy) {
      const { event } = LIMITS[cause];
      sink.event(event, `${event}: ${reasons.join('; ')}`, { reasons });
    }
    const unfinished = result.unfinished.unsent + result.unfinished.unanswered;
    const short = shortWindowWarning(result.durationMs / 1000, result.requests + unfinished, 'requests');
    if (short) {
      sink.event('short-run', short, { seconds: result.durationMs / 1000, requests: result.requests + unfinished });
      sink.log('warn', short);
    }
    // Stopped before the summary, so the record says how the stop went and every process's last leak verdict.
    if (service) {
      for (const cleanup of cleanups.splice(0).reverse()) cleanup();
      await service.stop();
    }
    const summary: Record<string, MetricValue> = {
      ...resultSummary(result),
      ...mixSummary(result, spec.load.mix),
      ...(workers?.summary(result.byWorker) ?? {}),
      ...(runtime?.summary() ?? {}),
      ...(service?.summary() ?? {}),
    };
    if (setupMs !== undefined) {
      summary.setupSec = { value: setupMs / 1000, unit: 's', label: 'setup and warm-up before the measured window', better: 'neither' };
    }
    sink.summary(summary);
    const kept = service ? service.artifactsToKeep() : artifacts;
    return {
      summary,
      ...(kept.length ? { artifacts: kept } : {}),
      ...(service ? { tables: service.tables() } : {}),
      ...(clusterLost ? { error: new TunebenchError('TB_CHILD_FAILED', { name: 'cluster supervisor', detail: clusterLost }).toPayload() } : {}),
      ...(serviceLost && service ? { error: new TunebenchError('TB_SERVICE_FAILED', { name: service.instance.name, detail: serviceLost }).toPayload() } : {}),
      environment: {
        ...(service?.environment() ?? {}),
        loadTarget: target.origin + target.basePath,
        ...(cluster
          ? { clusterNode: cluster.runtime.version, clusterRuntime: cluster.runtime.source, clusterNodePath: cluster.runtime.command }
          : {}),
        ...(result.generatorLimited ? { generatorLimited: result.generatorLimitedReasons.join('; ') } : {}),
        ...(result.limitedBy.length ? { limitedBy: result.limitedBy.map((limit) => limit.cause).join(', ') } : {}),
      },
    };
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
    if (target.owned) await target.cluster?.stop();
    await service?.stop();
  }
}

export function createLoadKind(services: LoadKindServices): ExperimentKindRunner<LoadSpec> {
  return {
    kind: 'load',
    defaultName: loadRunName,
    specSchema: LoadSpecSchema,
    headline: ['throughput', 'latency.p99', 'errors'],
    // A request count can end it sooner; the clock is the plan.
    plannedDurationSec: (spec) => spec.load.warmupSec + spec.load.durationSec,
    // A service target must name a trusted definition and only its declared knobs: checked before anything starts.
    admit: (spec) => {
      if (spec.target.type === 'service') services.catalog.resolveRun(spec.target.service, spec.target.knobs);
    },
    run: (spec, sink, signal, context) => {
      warnIfOversubscribed(spec, sink);
      return runLoad(spec, sink, signal, context, services);
    },
  };
}
