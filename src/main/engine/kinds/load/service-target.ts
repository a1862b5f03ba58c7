/**
 * A load run's own instance of a user's service (target type "service"):
 * resolved from the trusted definitions with the run's knob values, started
 * with the probe in every Node process, given a DATABASE_URL on the embedded
 * PostgreSQL when asked, waited for, and stopped gracefully when the run
 * ends. On the run's time axis it records each process's runtime
 * (service.<index>.* series: heap spaces, GC, event-loop delay, CPU), a leak
 * verdict per process, and the service's output: the last lines live and in
 * the record, all of it (bounded) as the run's `service-log` artifact.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TunebenchError, type ErrorPayload } from '../../../../shared/errors.js';
import type { MetricValue } from '../../../../shared/metrics.js';
import type { Artifact, RecordTable } from '../../../../shared/run-record.js';
import type { LeakVerdict, ProbeGcEvent } from '../../../../shared/runtime.js';
import { processPrefix, runtimeSeriesName, serviceProcess } from '../../../../shared/series-names.js';
import type { LoadTarget } from '../../../../shared/specs/load.js';
import type { ServiceLogLine } from '../../../../shared/specs/services.js';
import type { ChildRegistry } from '../../processes/child-registry.js';
import { serviceDatabaseUrl } from '../../postgres/service-database.js';
import type { DbService } from '../../postgres/db-service.js';
import { ProbeSeriesWriter, processLabel } from '../../runtime/probe-writer.js';
import { runtimeSubjects } from '../../runtime/subjects.js';
import type { ServiceCatalog } from '../../services/catalog.js';
import { describeServiceExit, ServiceInstance, type ServiceProcess, type StopResult } from '../../services/service-instance.js';
import type { RunContext, RunSink } from '../kind.js';
import { LeakDetector } from '../memory/leak-detector.js';

type ServiceTarget = Extract<LoadTarget, { type: 'service' }>;

export interface ServiceTargetServices {
  children: ChildRegistry;
  catalog: ServiceCatalog;
  db: DbService;
  /** The live tail of a service's output, for whoever watches (the service.log stream). */
  publishLog?: (payload: { name: string; runId?: string; lines: ServiceLogLine[] }) => void;
}

const MB = 1024 * 1024;
const LOG_TAIL_IN_RECORD = 100;
const LIVE_LOG_FLUSH_MS = 250;

/** Puts the live tail in batches, so a chatty service sends a few messages a second, not one a line. */
class LogBatcher {
  private pending: ServiceLogLine[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly publish: (lines: ServiceLogLine[]) => void) {
    this.timer = setInterval(() => this.flush(), LIVE_LOG_FLUSH_MS);
    this.timer.unref();
  }

  add(line: ServiceLogLine): void {
    this.pending.push(line);
    // A burst keeps only its latest lines live; the log file has them all.
    if (this.pending.length > 200) this.pending.splice(0, this.pending.length - 200);
  }

  flush(): void {
    if (!this.pending.length) return;
    const lines = this.pending;
    this.pending = [];
    this.publish(lines);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/** One process of the service as the run records it. */
class RecordedProcess {
  readonly writer: ProbeSeriesWriter;
  private readonly detector: LeakDetector;
  verdict: LeakVerdict;

  constructor(
    private readonly sink: RunSink,
    readonly process: ServiceProcess,
    leakRule: ServiceTarget['leakRule'],
  ) {
    const ref = serviceProcess(process.index);
    this.detector = new LeakDetector(leakRule ?? {});
    this.verdict = this.detector.verdict();
    sink.declareSeries(runtimeSeriesName(ref, 'leak.floor'), 'MB', `${processLabel(ref)}heap used after major GC`);
    this.writer = new ProbeSeriesWriter(sink, {
      process: ref,
      // A server under load scavenges many times a second: the timeline keeps the pauses worth seeing; totals count all.
      keepGcEvent: (event) => event.kind !== 'minor' || event.durationMs >= 1,
      onGc: (event, at) => this.onGc(event, at),
    });
  }

  private get name(): string {
    return `service.${this.process.index}`;
  }

  private onGc(event: ProbeGcEvent, at: number): void {
    if (event.kind !== 'major' || event.heapUsedAfter === undefined) return;
    this.detector.add(at, event.heapUsedAfter);
    this.sink.sample(runtimeSeriesName(serviceProcess(this.process.index), 'leak.floor'), event.heapUsedAfter / MB, at);
    this.setVerdict(this.detector.verdict());
  }

  settle(): void {
    this.setVerdict(this.detector.finalVerdict());
  }

  private setVerdict(verdict: LeakVerdict): void {
    if (verdict.status !== this.verdict.status) {
      this.sink.event('leak', `${this.name} (pid ${this.process.pid}): leak verdict ${verdict.status} (${verdict.reason})`, {
        ...verdict,
        process: this.name,
        pid: this.process.pid,
      });
    }
    this.verdict = verdict;
  }

  summary(): Record<string, MetricValue> {
    const prefix = processPrefix(serviceProcess(this.process.index));
    return {
      ...this.writer.summary(),
      [`${prefix}leak.slopeMbPerMin`]: { value: this.verdict.slopeMbPerMin, unit: 'MB/min', label: `service process ${this.process.index}: live-set growth (heap after major GC)`, better: 'lower' },
      [`${prefix}leak.flagged`]: {
        value: this.verdict.status === 'possible-leak' ? 1 : 0,
        unit: 'count',
        label: `service process ${this.process.index}: possible leak (1 = yes; ${this.verdict.status})`,
        better: 'lower',
      },
    };
  }
}

export interface ServiceStartFailure {
  /** Absent when the run was stopped while the service was starting. */
  error?: ErrorPayload;
  artifacts: Artifact[];
  tables: Record<string, RecordTable>;
  environment: Record<string, string>;
}

/**
 * The run's service: start() resolves once it is ready, or with what to
 * record when it never was (its error, its log as an artifact and a table of
 * its last lines); nothing of it is left running either way.
 */
export class ServiceUnderLoad {
  private readonly recorded: RecordedProcess[] = [];
  private readonly cleanups: Array<() => void> = [];
  private stopResult: StopResult | undefined;
  private logArtifact: Artifact | undefined;

  private constructor(
    private readonly sink: RunSink,
    private readonly target: ServiceTarget,
    readonly instance: ServiceInstance,
    private readonly logFile: string,
    private readonly batcher: LogBatcher | undefined,
    private readonly artifacts: Artifact[],
  ) {}

  static async start(
    target: ServiceTarget,
    sink: RunSink,
    signal: AbortSignal,
    context: RunContext,
    services: ServiceTargetServices,
    artifacts: Artifact[],
  ): Promise<ServiceUnderLoad | ServiceStartFailure> {
    // Resolved again here (admit checked it): the definition may have changed since.
    const resolved = services.catalog.resolveRun(target.service, target.knobs);
    const { definition } = resolved;
    const database = target.database ?? definition.database;
    const databaseUrl = database === 'embedded' ? await serviceDatabaseUrl(services.db, definition.name) : undefined;
    const logName = `service-${definition.name}.log`;
    const logFile = path.join(context.runDir, logName);
    const batcher = services.publishLog
      ? new LogBatcher((lines) => services.publishLog!({ name: definition.name, runId: context.runId, lines }))
      : undefined;
    const instance = await ServiceInstance.start({
      definition,
      knobs: resolved.knobs,
      children: services.children,
      nodeRuntime: context.nodeRuntime,
      workersDir: context.workersDir,
      subjects: runtimeSubjects,
      artifactDir: context.runDir,
      probeIntervalMs: target.probeIntervalMs,
      logFile,
      runId: context.runId,
      addArtifact: (artifact) => artifacts.push(artifact),
      ...(databaseUrl !== undefined ? { databaseUrl } : {}),
      ...(batcher ? { onLog: (line: ServiceLogLine) => batcher.add(line) } : {}),
    });
    const run = new ServiceUnderLoad(sink, target, instance, logFile, batcher, artifacts);
    run.watch();
    sink.log('info', `service ${definition.name}: ${[instance.plan.command, ...instance.plan.args].join(' ')} in ${instance.plan.cwd} (pid ${instance.pid ?? '?'})`);
    try {
      const readyMs = await instance.waitReady(signal);
      sink.event('service-ready', `service ${definition.name} ready after ${(readyMs / 1000).toFixed(2)} s`, { readyMs, pid: instance.pid });
      return run;
    } catch (error) {
      await run.stop();
      const kept = { artifacts: run.artifactsToKeep(), tables: run.tables(), environment: run.environment() };
      if (signal.aborted) return kept;
      const payload = error instanceof TunebenchError ? error.toPayload() : new TunebenchError('TB_SERVICE_FAILED', { name: definition.name, detail: String(error) }).toPayload();
      sink.event('service-failed', payload.message);
      return { error: payload, ...kept };
    }
  }

  get origin(): string {
    return new URL(this.instance.url).origin;
  }

  get basePath(): string {
    return new URL(this.instance.url).pathname.replace(/\/$/, '');
  }

  /** The service ended without being asked: the reason, with its last lines. */
  onLost(listener: (reason: string) => void): () => void {
    return this.instance.onExit((exit) => listener(`${describeServiceExit(exit)} during the run${this.instance.tailText()}`));
  }

  /** Stops the service (idempotent) and records how it went. */
  async stop(): Promise<StopResult> {
    if (this.stopResult) return this.stopResult;
    const result = await this.instance.stop();
    this.stopResult = result;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.batcher?.dispose();
    for (const process of this.recorded) process.settle();
    const { name } = this.instance;
    const seconds = (result.ms / 1000).toFixed(2);
    if (result.outcome === 'killed') {
      const message = `service ${name} did not stop within ${this.instance.definition.stop.timeoutSec} s of SIGTERM; its process group was killed (SIGKILL)${this.instance.tailText(5)}`;
      this.sink.event('service-stop-forced', message, { ms: result.ms });
      this.sink.log('warn', message);
    } else if (result.outcome === 'graceful') {
      this.sink.event('service-stopped', `service ${name} stopped after SIGTERM in ${seconds} s`, { ms: result.ms });
    }
    if (result.leftovers.length) {
      const message = `service ${name}: process${result.leftovers.length > 1 ? 'es' : ''} ${result.leftovers.join(', ')} had left its process group and ${result.leftovers.length > 1 ? 'were' : 'was'} killed by pid`;
      this.sink.event('service-leftovers', message, { pids: result.leftovers });
      this.sink.log('warn', message);
    }
    this.logArtifact = await this.describeLog();
    return result;
  }

  summary(): Record<string, MetricValue> {
    const values: Record<string, MetricValue> = Object.assign({}, ...this.recorded.map((process) => process.summary())) as Record<string, MetricValue>;
    values['service.processes'] = { value: this.recorded.length, unit: 'count', label: 'service processes probed', better: 'neither' };
    if (this.stopResult) {
      values['service.stopSec'] = { value: this.stopResult.ms / 1000, unit: 's', label: 'service stop time after SIGTERM', better: 'lower' };
      values['service.stopForced'] = { value: this.stopResult.outcome === 'killed' ? 1 : 0, unit: 'count', label: 'service needed SIGKILL to stop (1 = yes)', better: 'lower' };
    }
    return values;
  }

  /** The record's table of the service's last output lines. */
  tables(): Record<string, RecordTable> {
    return {
      serviceLog: {
        columns: ['time', 'stream', 'line'],
        rows: this.instance.logTail(LOG_TAIL_IN_RECORD).map((line) => [new Date(line.at).toISOString(), line.stream, line.line]),
      },
    };
  }

  /** The service as information for the record's environment: never read back (a rerun resolves the definition again). */
  environment(): Record<string, string> {
    const { plan, definition } = this.instance;
    return {
      service: definition.name,
      serviceKnobs: JSON.stringify(this.instance.knobs),
      serviceCommand: JSON.stringify([plan.command, ...plan.args]),
      serviceDirectory: plan.cwd,
      serviceVariables: plan.setVariables.join(', '),
      servicePids: this.recorded.map((process) => `${process.process.index}:${process.process.pid}`).join(', '),
      ...(this.recorded[0] ? { serviceNode: this.recorded[0].process.node } : {}),
      ...(this.stopResult ? { serviceStop: this.stopResult.outcome } : {}),
    };
  }

  artifactsToKeep(): Artifact[] {
    return this.logArtifact ? [...this.artifacts, this.logArtifact] : this.artifacts;
  }

  private watch(): void {
    this.cleanups.push(
      this.instance.onProcess((process) => {
        const recorded = new RecordedProcess(this.sink, process, this.target.leakRule);
        this.recorded.push(recorded);
        this.sink.event('service-process', `service process ${process.index}: pid ${process.pid} (parent ${process.ppid}) ${process.argv.join(' ')}`.trim(), {
          index: process.index,
          pid: process.pid,
          ppid: process.ppid,
          node: process.node,
        });
      }),
      this.instance.onBatch((process, batch) => this.recorded[process.index]?.writer.write(batch)),
    );
  }

  private async describeLog(): Promise<Artifact | undefined> {
    const stats = await fs.stat(this.logFile).catch(() => undefined);
    if (!stats?.isFile()) return undefined;
    return {
      name: `output of service ${this.instance.name}`,
      kind: 'service-log',
      file: path.basename(this.logFile),
      bytes: stats.size,
      createdAt: new Date().toISOString(),
    };
  }
}

export function isStartFailure(value: ServiceUnderLoad | ServiceStartFailure): value is ServiceStartFailure {
  return !(value instanceof ServiceUnderLoad);
}
