/**
 * Turns probe batches into a run's series, GC events and summary. Any kind
 * that probes a process (memory sandbox, cluster supervisor, test servers)
 * writes through one of these, with a prefix per process when it has several.
 */
import type { MetricValue, Unit } from '../../../shared/metrics.js';
import { gcKinds, heapSpaceGroups } from '../../../shared/runtime.js';
import type { GcKind, ProbeBatch, ProbeGcEvent, ProbeSample } from '../../../shared/runtime.js';
import {
  gcPauseMetric,
  heapSpaceMetric,
  processName,
  processPrefix,
  runtimeSeriesName,
  SUBJECT_PROCESS,
  type RuntimeMetric,
  type RuntimeProcessRef,
} from '../../../shared/series-names.js';
import type { RunSink } from '../kinds/kind.js';

const MB = 1024 * 1024;
/** GC events kept per process in the record; beyond this they are only counted (a busy process does hundreds a second). */
const MAX_GC_EVENTS = 20_000;

type SeriesDef = [metric: RuntimeMetric, unit: Unit, label: string, read: (s: ProbeSample) => number | undefined];

const seriesDefs: SeriesDef[] = [
  ...heapSpaceGroups.map((group): SeriesDef => [heapSpaceMetric(group), 'MB', `heap ${group} space`, (s) => (s.spaces[group] ?? 0) / MB]),
  ['heapUsed', 'MB', 'heap used', (s) => s.heapUsed / MB],
  ['heapTotal', 'MB', 'heap total', (s) => s.heapTotal / MB],
  ['rss', 'MB', 'resident set size', (s) => s.rss / MB],
  ['external', 'MB', 'external memory', (s) => s.external / MB],
  ['arrayBuffers', 'MB', 'ArrayBuffers', (s) => s.arrayBuffers / MB],
  ['eldP50', 'ms', 'event-loop delay p50', (s) => s.eld?.p50],
  ['eldP99', 'ms', 'event-loop delay p99', (s) => s.eld?.p99],
  ['eldMax', 'ms', 'event-loop delay max', (s) => s.eld?.max],
  ['elu', 'ratio', 'event-loop utilisation', (s) => s.elu],
  ['cpu', 'percent', 'CPU (user + system, % of one core)', (s) => s.cpuUser + s.cpuSystem],
  ...gcKinds.map((kind): SeriesDef => [
    gcPauseMetric(kind),
    'ms',
    `${kind} GC pause per second`,
    (s) => ((s.gc[kind]?.pauseMs ?? 0) * 1_000) / s.intervalMs,
  ]),
  [
    'gc.pauseMs',
    'ms',
    'GC pause per second (all kinds)',
    (s) => (gcKinds.reduce((sum, kind) => sum + (s.gc[kind]?.pauseMs ?? 0), 0) * 1_000) / s.intervalMs,
  ],
];

/** What a host that measures its own event loop already records (the pool kind: the engine's main thread). */
const eventLoopSeries: ReadonlySet<RuntimeMetric> = new Set<RuntimeMetric>(['eldP50', 'eldP99', 'eldMax', 'elu']);

export interface ProbeWriterOptions {
  /** Which process this is; its series are named after it (engine.heapUsed, worker.2.rss) and its GC events carry its name as data.process. Default: the run's subject, unprefixed. */
  process?: RuntimeProcessRef;
  /** Told about every GC, whether or not it becomes a timeline event (the leak detector needs every major). */
  onGc?: (event: ProbeGcEvent, elapsedMs: number) => void;
  /** Which GCs become timeline events; the others count only in the per-interval totals. Default: every one. */
  keepGcEvent?: (event: ProbeGcEvent) => boolean;
  /**
   * Epoch ms now, by the clock the probe's timestamps use. A probe in another
   * process stamps with its young performance clock, closest to Date.now; a
   * probe in this process stamps with this process's performance clock, which
   * drifts from Date.now over a long-lived host.
   */
  epochNow?: () => number;
  /** Record event-loop delay and utilisation (default true); off when the run records the same loop already. */
  eventLoop?: boolean;
  /** Which series to record; default all. A host that reports some of them already leaves those out. */
  include?: (metric: RuntimeMetric) => boolean;
}

export interface ProbeTotals {
  gc: Record<GcKind, { count: number; pauseMs: number }>;
  peakRss: number;
  peakHeapUsed: number;
  peakExternal: number;
  maxEldP99: number;
  eluSum: number;
  samples: number;
  dropped: { samples: number; gc: number };
}

export class ProbeSeriesWriter {
  /** Run-elapsed ms = epoch ms - this. */
  private readonly epochAtRunStart: number;
  private gcEventsRecorded = 0;
  private last: ProbeSample | undefined;
  readonly totals: ProbeTotals = {
    gc: Object.fromEntries(gcKinds.map((kind) => [kind, { count: 0, pauseMs: 0 }])) as ProbeTotals['gc'],
    peakRss: 0,
    peakHeapUsed: 0,
    peakExternal: 0,
    maxEldP99: 0,
    eluSum: 0,
    samples: 0,
    dropped: { samples: 0, gc: 0 },
  };

  private readonly process: RuntimeProcessRef;
  private readonly processName: string | undefined;
  private readonly defs: SeriesDef[];

  constructor(
    private readonly sink: RunSink,
    private readonly options: ProbeWriterOptions = {},
  ) {
    this.process = options.process ?? SUBJECT_PROCESS;
    this.processName = processName(this.process);
    this.epochAtRunStart = (options.epochNow ?? Date.now)() - sink.elapsed();
    // Every label says whose it is, as the summary's do: a report or chart holds several processes' series.
    const whose = processLabel(this.process);
    const include = options.include ?? (() => true);
    this.defs = seriesDefs.filter(([metric]) => include(metric) && (options.eventLoop !== false || !eventLoopSeries.has(metric)));
    for (const [metric, unit, label] of this.defs) sink.declareSeries(runtimeSeriesName(this.process, metric), unit, whose + label);
  }

  /** Converts a probe's epoch time to the run's time axis. */
  toElapsed(epochMs: number): number {
    return Math.max(0, epochMs - this.epochAtRunStart);
  }

  get latest(): ProbeSample | undefined {
    return this.last;
  }

  write(batch: ProbeBatch): void {
    for (const sample of batch.samples) {
      const t = this.toElapsed(sample.t);
      for (const [metric, , , read] of this.defs) {
        const value = read(sample);
        if (value !== undefined) this.sink.sample(runtimeSeriesName(this.process, metric), value, t);
      }
      const totals = this.totals;
      totals.peakRss = Math.max(totals.peakRss, sample.rss);
      totals.peakHeapUsed = Math.max(totals.peakHeapUsed, sample.heapUsed);
      totals.peakExternal = Math.max(totals.peakExternal, sample.external);
      totals.maxEldP99 = Math.max(totals.maxEldP99, sample.eld?.p99 ?? 0);
      totals.eluSum += sample.elu;
      totals.samples += 1;
      for (const kind of gcKinds) {
        totals.gc[kind].count += sample.gc[kind]?.count ?? 0;
        totals.gc[kind].pauseMs += sample.gc[kind]?.pauseMs ?? 0;
      }
      this.last = sample;
    }
    const { onGc, keepGcEvent } = this.options;
    const processName = this.processName;
    for (const event of batch.gc) {
      const at = this.toElapsed(event.t);
      onGc?.(event, at);
      if (this.gcEventsRecorded >= MAX_GC_EVENTS || (keepGcEvent && !keepGcEvent(event))) continue;
      this.gcEventsRecorded += 1;
      this.sink.event('gc', `${processName ? `${processName}: ` : ''}${event.kind} GC ${event.durationMs.toFixed(2)} ms`, {
        kind: event.kind,
        duration: event.durationMs,
        at,
        ...(processName ? { process: processName } : {}),
        ...(event.heapUsedAfter !== undefined ? { heapUsedAfterMb: event.heapUsedAfter / MB } : {}),
      });
    }
    this.totals.dropped = batch.dropped;
  }

  summary(): Record<string, MetricValue> {
    const { totals } = this;
    const prefix = processPrefix(this.process);
    // Several processes' figures share one summary; each label says whose it is (a CLI table has no groups).
    const whose = processLabel(this.process);
    const values: Record<string, MetricValue> = {
      [`${prefix}peakRss`]: { value: totals.peakRss / MB, unit: 'MB', label: `${whose}peak RSS`, better: 'lower' },
      [`${prefix}peakHeapUsed`]: { value: totals.peakHeapUsed / MB, unit: 'MB', label: `${whose}peak heap used`, better: 'lower' },
      [`${prefix}peakExternal`]: { value: totals.peakExternal / MB, unit: 'MB', label: `${whose}peak external`, better: 'lower' },
      [`${prefix}maxEldP99`]: { value: totals.maxEldP99, unit: 'ms', label: `${whose}worst event-loop delay p99`, better: 'lower' },
      [`${prefix}meanElu`]: {
        value: totals.samples ? totals.eluSum / totals.samples : 0,
        unit: 'ratio',
        label: `${whose}mean event-loop utilisation`,
        better: 'neither',
      },
      [`${prefix}probeDropped`]: {
        value: totals.dropped.samples + totals.dropped.gc,
        unit: 'count',
        label: `${whose}probe samples and GC events dropped`,
        better: 'lower',
      },
    };
    for (const kind of gcKinds) {
      values[`${prefix}gc.${kind}.count`] = { value: totals.gc[kind].count, unit: 'count', label: `${whose}${gcKindName(kind)} GCs`, better: 'lower' };
      values[`${prefix}gc.${kind}.pauseMs`] = {
        value: totals.gc[kind].pauseMs,
        unit: 'ms',
        label: `${whose}${gcKindName(kind)} GC pause total`,
        better: 'lower',
      };
    }
    return values;
  }
}

/** 'worker 0: ', 'workbench: ', 'service process 1: ', or nothing for the run's subject: how every label of a process begins. */
export function processLabel(process: RuntimeProcessRef): string {
  switch (process.type) {
    case 'subject':
      return '';
    case 'engine':
      return 'workbench: ';
    case 'worker':
      return `worker ${process.slot}: `;
    case 'service':
      return `service process ${process.index}: `;
  }
}

/** V8's GC kinds as people read them ('weakcb' is V8's short name). */
function gcKindName(kind: string): string {
  return kind === 'weakcb' ? 'weak-callback' : kind;
}
