/**
 * The 'memory' experiment kind: one memory scenario in a sandbox process on
 * the user's node, watched by the runtime probe, judged by the leak detector.
 */
import { memoryRunName } from '../../../../shared/run-names.js';
import os from 'node:os';
import { toErrorPayload, TunebenchError } from '../../../../shared/errors.js';
import type { ErrorPayload } from '../../../../shared/errors.js';
import type { MetricValue } from '../../../../shared/metrics.js';
import type { Artifact } from '../../../../shared/run-record.js';
import type { LeakVerdict, ProbeGcEvent } from '../../../../shared/runtime.js';
import {
  defaultObjectSizeBytes,
  MEMORY_SCENARIO_MAX_SHARE,
  MemorySpecSchema,
  plannedRetainedBytes,
} from '../../../../shared/specs/memory.js';
import type { MemorySpec, SandboxStart } from '../../../../shared/specs/memory.js';
import { DisposableStore } from '../../disposable.js';
import type { ChildRegistry } from '../../processes/child-registry.js';
import { describeExit } from '../../processes/managed-child.js';
import type { ExperimentKindRunner, KindResult, RunContext, RunSink } from '../kind.js';
import { LeakDetector } from './leak-detector.js';
import { ProbeLink } from '../../runtime/probe-link.js';
import { ProbeSeriesWriter } from '../../runtime/probe-writer.js';
import { PROBE_INTERVAL_ENV } from '../../../../node/probe/serve.js';
import { sandboxLink, sandboxMessage, spawnSandbox, stopSandbox } from './sandbox-child.js';
import type { SandboxChild, SandboxInbound } from './sandbox-child.js';
import { runtimeSubjects } from '../../runtime/subjects.js';
import type { RuntimeSubjects } from '../../runtime/subjects.js';

const MB = 1024 * 1024;
/** Beyond the scenario's duration: time for the oom pool to drain and the last probe batch to arrive. */
const FINISH_GRACE_MS = 10_000;

type Outcome = { type: 'done'; stats: Record<string, number> } | { type: 'error'; message: string } | { type: 'aborted' } | { type: 'exited'; detail: string } | { type: 'timeout' };

export function leakSummary(verdict: LeakVerdict): Record<string, MetricValue> {
  return {
    'leak.slopeMbPerMin': { value: verdict.slopeMbPerMin, unit: 'MB/min', label: 'live-set growth (heap after major GC)', better: 'lower' },
    'leak.r2': { value: verdict.r2, unit: 'ratio', label: 'R² of the live-set trend', better: 'neither' },
    'leak.points': { value: verdict.points, unit: 'count', label: 'major-GC points in the leak window', better: 'neither' },
    'leak.flagged': {
      value: verdict.status === 'possible-leak' ? 1 : 0,
      unit: 'count',
      label: `leak verdict: ${verdict.status} (${verdict.reason})`,
      better: 'lower',
    },
  };
}

class MemoryRun {
  private readonly resources = new DisposableStore();
  private readonly artifacts: Artifact[] = [];
  private readonly detector: LeakDetector;
  private readonly writer: ProbeSeriesWriter;
  private verdict: LeakVerdict;
  private maxHeartbeatLateMs = 0;
  private sandbox!: SandboxChild;
  private environment: Record<string, string> = {};
  private link!: ProbeLink;

  constructor(
    private readonly spec: MemorySpec,
    private readonly sink: RunSink,
    private readonly signal: AbortSignal,
    private readonly context: RunContext,
    private readonly registry: RuntimeSubjects,
    private readonly children: ChildRegistry,
  ) {
    this.detector = new LeakDetector(spec.leakRule);
    this.verdict = this.detector.verdict();
    sink.declareSeries('leak.floor', 'MB', 'heap used after major GC');
    sink.declareSeries('heartbeatLateMs', 'ms', 'heartbeat timer lateness (50 ms timer)');
    this.writer = new ProbeSeriesWriter(sink, { onGc: (event, at) => this.onGc(event, at) });
  }

  async execute(): Promise<KindResult> {
    let error: ErrorPayload | undefined;
    let stats: Record<string, number> = {};
    try {
      await this.startSandbox();
      if (this.spec.snapshots) await this.snapshot('start');
      const outcome = await this.runScenario();
      if (outcome.type === 'done') stats = outcome.stats;
      else if (outcome.type === 'error') error = new TunebenchError('TB_INTERNAL', { detail: `memory sandbox: ${outcome.message}` }).toPayload();
      else if (outcome.type === 'exited') error = new TunebenchError('TB_SANDBOX_EXITED', { reason: outcome.detail }).toPayload();
      else if (outcome.type === 'timeout') error = new TunebenchError('TB_INTERNAL', { detail: 'memory sandbox did not finish its scenario in time' }).toPayload();
      if (this.spec.snapshots && outcome.type === 'done') await this.snapshot('end');
      await this.stopSandbox();
    } catch (thrown) {
      error = toErrorPayload(thrown);
    } finally {
      await this.resources.dispose().catch(() => {});
    }
    this.settleVerdict();
    return {
      summary: { ...this.summary(), ...this.statsSummary(stats) },
      artifacts: this.artifacts,
      ...(Object.keys(this.environment).length ? { environment: this.environment } : {}),
      ...(error ? { error } : {}),
    };
  }

  private async startSandbox(): Promise<void> {
    const execArgv = [
      ...(this.spec.maxOldSpaceMb ? [`--max-old-space-size=${this.spec.maxOldSpaceMb}`] : []),
      ...(this.spec.allowForcedGc ? ['--expose-gc'] : []),
    ];
    const runtime = this.context.nodeRuntime.resolve();
    const sandbox = spawnSandbox(this.children, this.context.workersDir, runtime, {
      execArgv,
      env: { [PROBE_INTERVAL_ENV]: String(this.spec.probeIntervalMs) },
    });
    this.sandbox = sandbox;
    this.resources.addFn(() => stopSandbox(sandbox));
    this.link = this.resources.add(new ProbeLink(sandboxLink(sandbox), (batch) => this.onBatch(batch)));
    this.resources.addFn(sandbox.onMessage((message) => this.onSandboxEvent(message)));
    const ready = await sandbox.ready;
    const pid = sandbox.pid ?? 0;
    // Information only: which Node ran the scenario. A rerun resolves the runtime again from the host's setting.
    this.environment = {
      subjectNodePath: runtime.command,
      subjectNodeSource: runtime.source,
      ...(ready.type === 'sandbox.ready' && ready.node ? { subjectNode: ready.node } : {}),
    };
    this.sink.event('sandbox', `Memory sandbox started (pid ${pid}${execArgv.length ? `, ${execArgv.join(' ')}` : ''})`, { pid });
    const link = this.link;
    this.resources.addFn(
      this.registry.add({
        id: `${this.context.runId}:sandbox`,
        pid,
        label: `memory sandbox: ${this.spec.scenario} (pid ${pid})`,
        runId: this.context.runId,
        artifactDir: this.context.runDir,
        heap: () => {
          const latest = this.writer.latest;
          return latest ? { used: latest.heapUsed, limit: latest.heapLimit } : undefined;
        },
        command: (request, timeoutMs) => link.command(request, timeoutMs),
        addArtifact: (artifact) => {
          this.artifacts.push(artifact);
          this.sink.event('artifact', `${artifact.name} saved (${(artifact.bytes / MB).toFixed(1)} MB)`, { ...artifact });
        },
      }),
    );
  }

  private runScenario(): Promise<Outcome> {
    const spec = this.spec;
    const start: SandboxStart = {
      type: 'sandbox.start',
      scenario: spec.scenario,
      durationSec: spec.durationSec,
      rate: spec.rate,
      objectSizeBytes: spec.objectSizeBytes ?? defaultObjectSizeBytes[spec.scenario],
      retainMs: spec.retainMs,
      workerHeapMb: spec.workerHeapMb,
      hogEvery: spec.hogEvery,
      taskMs: spec.taskMs,
      maxRetainedBytes: retainedBytesCap(),
    };
    return new Promise<Outcome>((resolve) => {
      let finished = false;
      const finish = (outcome: Outcome) => {
        if (finished) return;
        finished = true;
        clearTimeout(deadline);
        clearInterval(progressTimer);
        stopListening();
        this.signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const stopListening = this.sandbox.onMessage((message) => {
        if (message.type === 'sandbox.done') finish({ type: 'done', stats: message.stats });
        else if (message.type === 'sandbox.error') finish({ type: 'error', message: message.message });
      });
      const onAbort = () => finish({ type: 'aborted' });
      const deadline = setTimeout(() => finish({ type: 'timeout' }), spec.durationSec * 1_000 + FINISH_GRACE_MS);
      const startedAt = this.sink.elapsed();
      const total = spec.durationSec * 1_000;
      const progressTimer = setInterval(() => this.sink.progress(Math.min(total, this.sink.elapsed() - startedAt), total), 500);
      if (this.signal.aborted) return onAbort();
      this.signal.addEventListener('abort', onAbort, { once: true });
      void this.sandbox.closed.then((exit) => finish({ type: 'exited', detail: `${describeExit(exit)}${tail(exit.stderrTail)}` }));
      this.sandbox.send(start);
      this.sink.event('scenario', `Scenario ${spec.scenario} started`, { ...start });
    });
  }

  /** Lets the sandbox send its last probe batch, then waits for it to close. */
  private async stopSandbox(): Promise<void> {
    await stopSandbox(this.sandbox);
  }

  private async snapshot(when: 'start' | 'end'): Promise<void> {
    const { summary, diff } = await this.registry.heapSnapshot(`${this.context.runId}:sandbox`, true);
    this.sink.event('heap-snapshot', `Heap snapshot at ${when}: ${(summary.totalSize / MB).toFixed(1)} MB in ${summary.totalCount} objects`, {
      when,
      top: summary.top,
      ...(diff ? { diff } : {}),
    });
  }

  private onBatch(batch: Parameters<ProbeSeriesWriter['write']>[0]): void {
    this.writer.write(batch);
    this.sink.summary(this.summary());
  }

  private onGc(event: ProbeGcEvent, at: number): void {
    if (event.kind !== 'major' || event.heapUsedAfter === undefined) return;
    this.detector.add(at, event.heapUsedAfter);
    this.sink.sample('leak.floor', event.heapUsedAfter / MB, at);
    const verdict = this.detector.verdict();
    if (verdict.status !== this.verdict.status) {
      this.sink.event('leak', `Leak verdict: ${verdict.status} (${verdict.reason})`, { ...verdict });
    }
    this.verdict = verdict;
  }

  /** No more points will come: evidence still short is 'undecided', said in words, not left to read like "no leak". */
  private settleVerdict(): void {
    const verdict = this.detector.finalVerdict();
    if (verdict.status !== this.verdict.status) {
      this.sink.event('leak', `Leak verdict: ${verdict.status} (${verdict.reason})`, { ...verdict });
    }
    this.verdict = verdict;
  }

  private onSandboxEvent(message: SandboxInbound): void {
    const parsed = sandboxMessage(message);
    if (parsed?.type === 'sandbox.event') this.sink.event(parsed.event, parsed.message, parsed.data);
    if (parsed?.type === 'sandbox.heartbeat') {
      parsed.t.forEach((t, index) => {
        const late = parsed.v[index]!;
        this.maxHeartbeatLateMs = Math.max(this.maxHeartbeatLateMs, late);
        this.sink.sample('heartbeatLateMs', late, this.writer.toElapsed(t));
      });
    }
  }

  private summary(): Record<string, MetricValue> {
    return {
      ...this.writer.summary(),
      ...leakSummary(this.verdict),
      maxHeartbeatLateMs: { value: this.maxHeartbeatLateMs, unit: 'ms', label: 'latest a 50 ms heartbeat timer fired', better: 'lower' },
    };
  }

  private statsSummary(stats: Record<string, number>): Record<string, MetricValue> {
    const labels: Record<string, string> = {
      objects: 'objects allocated',
      retained: 'objects retained',
      peakAlive: 'most objects alive at once',
      submitted: 'jobs submitted',
      completed: 'jobs completed',
      failed: 'jobs failed',
      outOfMemory: 'workers out of memory',
      replaced: 'workers replaced',
      lost: 'jobs lost',
      tasks: 'CPU tasks run on the main thread',
      cappedAllocations: 'allocations skipped at the memory cap',
    };
    return Object.fromEntries(
      Object.entries(stats).map(([key, value]) => [
        `scenario.${key}`,
        { value, unit: 'count', label: labels[key] ?? key, better: 'neither' } satisfies MetricValue,
      ]),
    );
  }
}

function tail(stderrLines: string[]): string {
  const lines = stderrLines.filter((line) => line.trim()).slice(-2);
  return lines.length ? `: ${lines.join(' | ')}` : '';
}

/** The most a memory scenario may hold at once on this machine. */
function retainedBytesCap(): number {
  return Math.floor(os.totalmem() * MEMORY_SCENARIO_MAX_SHARE);
}

/** The memory kind; its sandboxes are children of `children` (the engine's registry). */
export function createMemoryKind(children: ChildRegistry, registry: RuntimeSubjects = runtimeSubjects): ExperimentKindRunner<MemorySpec> {
  return {
    kind: 'memory',
    defaultName: memoryRunName,
    specSchema: MemorySpecSchema,
    headline: ['leak.slopeMbPerMin', 'peakHeapUsed', 'gc.major.pauseMs'],
    plannedDurationSec: (spec) => spec.durationSec,
    admit: (spec) => {
      const planned = plannedRetainedBytes(spec);
      const cap = retainedBytesCap();
      if (planned > cap) {
        throw new TunebenchError('TB_INVALID_SPEC', {
          detail: `the ${spec.scenario} scenario would hold about ${(planned / MB).toFixed(0)} MB at once, more than ${Math.round(MEMORY_SCENARIO_MAX_SHARE * 100)}% of this machine's memory (${(cap / MB).toFixed(0)} MB); lower ${spec.scenario === 'oom-worker' ? 'workerHeapMb' : `rate, objectSizeBytes or ${spec.scenario === 'leak' ? 'durationSec' : 'retainMs'}`}`,
        });
      }
    },
    run: (spec, sink, signal, context) => new MemoryRun(spec, sink, signal, context, registry, children).execute(),
  };
}
