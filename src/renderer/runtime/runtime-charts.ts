/**
 * How a process's runtime series are drawn (recorded by
 * src/main/engine/runtime/probe-writer.ts and named by
 * src/shared/series-names.ts, per process when a run records several:
 * engine.heapUsed, worker.2.heap.old; a memory run's sandbox has no prefix):
 * heap spaces stacked, process memory, GC events and pause
 * per second, event-loop delay, CPU, and the live-set floor with the leak
 * detector's trend line. The Memory page and the runtime panel both draw
 * from here.
 */
import type { RunEvent, Series } from '../../shared/metrics.js';
import { gcKinds, heapSpaceGroups, NOTABLE_GC_MS, type GcKind, type HeapSpaceGroup } from '../../shared/runtime.js';
import {
  gcPauseMetric,
  heapSpaceMetric,
  parseSeriesName,
  processName,
  processPrefix,
  runtimeSeriesName,
  workerSeriesName,
  type RuntimeMetric,
  type RuntimeProcessRef,
} from '../../shared/series-names.js';
import type { ChartDefinition } from '../charts/chart-definition.js';
import type { ChartSet } from '../charts/chart-sets.js';
import type { SeriesSource } from '../runs/series-source.js';

/** Series this file derives from the recorded ones, per process: the heap spaces stacked, and each GC as a dot. */
export const stackedName = (process: RuntimeProcessRef, group: HeapSpaceGroup) => `${processPrefix(process)}stack.${group}`;
export const gcEventSeriesName = (process: RuntimeProcessRef, kind: GcKind) => `${processPrefix(process)}gcEvent.${kind}`;
export const LEAK_TREND = 'leak.trend';
/** Dots in this order take the chart palette's orange, green, red and purple, so a major GC reads red. */
const GC_DOT_KINDS = ['minor', 'incremental', 'major', 'weakcb'] as const satisfies readonly GcKind[];
const isGcKind = (value: unknown): value is GcKind => (gcKinds as readonly unknown[]).includes(value);

const series = runtimeSeriesName;

/** One process a run recorded the runtime of. */
export interface RuntimeProcess {
  process: RuntimeProcessRef;
  /** Tells the processes of a run apart: their series names' prefix ('', 'engine.', 'worker.2.'). */
  key: string;
  label: string;
}

function processLabel(process: RuntimeProcessRef, kind: string): string {
  switch (process.type) {
    case 'engine':
      return 'Engine (this workbench)';
    case 'subject':
      return kind === 'memory' ? 'Memory sandbox' : 'Process';
    case 'worker':
      return `Test server, worker ${process.slot}`;
    case 'service':
      return `Service process ${process.index}`;
  }
}

const RANK: Record<RuntimeProcessRef['type'], number> = { subject: 0, service: 1, worker: 1, engine: 2 };
/** The processes a run studies first, its test servers by slot (a service's processes in the order they started), the engine last. */
function byRank(a: RuntimeProcessRef, b: RuntimeProcessRef): number {
  if (a.type === 'service' && b.type === 'service') return a.index - b.index;
  return RANK[a.type] - RANK[b.type] || (a.type === 'worker' && b.type === 'worker' ? a.slot - b.slot : 0);
}

/**
 * The processes a run recorded, found by their series: the probe's heapUsed,
 * or the heap a cluster worker reports with its request counts.
 */
export function runtimeProcesses(source: SeriesSource, kind: string): RuntimeProcess[] {
  const found = new Map<string, RuntimeProcessRef>();
  for (const name of source.seriesNames()) {
    const parsed = parseSeriesName(name);
    const process =
      parsed.type === 'runtime' && parsed.metric === 'heapUsed'
        ? parsed.process
        : parsed.type === 'worker' && parsed.metric === 'heap'
          ? ({ type: 'worker', slot: parsed.slot } as const)
          : undefined;
    if (process) found.set(processPrefix(process), process);
  }
  return [...found.values()]
    .sort(byRank)
    .map((process) => ({ process, key: processPrefix(process), label: processLabel(process, kind) }));
}

/** The latest leak verdict carried by a run's events. */
export function latestVerdict(events: readonly RunEvent[] | undefined): Record<string, unknown> | undefined {
  if (!events) return undefined;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === 'leak') return events[i]!.data;
  return undefined;
}

function isGcOf(event: RunEvent, processName: string | undefined): boolean {
  return event.type === 'gc' && event.data?.process === processName;
}

/** When a GC started on the run's time axis: the probe's own time, else when the engine logged it. */
function gcTime(event: RunEvent): number {
  const at = Number(event.data?.at);
  return Number.isFinite(at) ? at : event.t;
}

/**
 * Adds to what a run recorded, for one process: the stacked heap spaces (each
 * line the sum of the spaces below it), its GC events as one series per kind
 * (value: the pause), and the leak detector's trend line.
 */
class RuntimeSource implements SeriesSource {
  private stackedKey = '';
  private stacked = new Map<string, Series>();
  private eventsSeen = -1;
  private gcDots = new Map<string, Series>();
  private trend: Series | undefined;
  private readonly processName: string | undefined;
  private readonly stackedNames: ReadonlySet<string>;
  private readonly dotNames: ReadonlySet<string>;

  constructor(
    private readonly inner: SeriesSource,
    private readonly process: RuntimeProcessRef,
  ) {
    this.processName = processName(process);
    this.stackedNames = new Set(heapSpaceGroups.map((group) => stackedName(process, group)));
    this.dotNames = new Set(GC_DOT_KINDS.map((kind) => gcEventSeriesName(process, kind)));
  }

  get version(): number {
    return this.inner.version;
  }

  get events(): readonly RunEvent[] | undefined {
    return this.inner.events;
  }

  seriesNames(): string[] {
    return [
      ...this.inner.seriesNames(),
      ...this.stackedNames,
      ...this.dotNames,
      ...(this.process.type === 'subject' ? [LEAK_TREND] : []),
    ];
  }

  series(name: string): Series | undefined {
    if (this.stackedNames.has(name)) return this.computeStacked().get(name);
    if (this.dotNames.has(name)) return this.computeFromEvents().gcDots.get(name);
    if (name === LEAK_TREND && this.process.type === 'subject') return this.computeFromEvents().trend;
    return this.inner.series(name);
  }

  private computeStacked(): Map<string, Series> {
    // A saved record's version never changes; a live run's grows with its points.
    const key = `${this.inner.version}:${this.inner.series(series(this.process, 'heap.new'))?.t.length ?? 0}`;
    if (key === this.stackedKey) return this.stacked;
    this.stackedKey = key;
    this.stacked = new Map();
    let below: number[] | undefined;
    for (const group of heapSpaceGroups) {
      const space = this.inner.series(series(this.process, heapSpaceMetric(group)));
      if (!space) continue;
      const v = space.v.map((value, index) => value + (below?.[index] ?? 0));
      this.stacked.set(stackedName(this.process, group), { unit: 'MB', label: `${group} (stacked)`, t: space.t, v });
      below = v;
    }
    return this.stacked;
  }

  private computeFromEvents(): this {
    const events = this.inner.events ?? [];
    if (this.eventsSeen === events.length) return this;
    this.eventsSeen = events.length;
    const dots = new Map<string, Series>(
      GC_DOT_KINDS.map((kind) => [gcEventSeriesName(this.process, kind), { unit: 'ms', label: `${kind} GC`, t: [], v: [] }]),
    );
    for (const event of events) {
      if (!isGcOf(event, this.processName)) continue;
      const kind = event.data?.kind;
      const dot = isGcKind(kind) ? dots.get(gcEventSeriesName(this.process, kind)) : undefined;
      const duration = Number(event.data?.duration);
      if (!dot || !Number.isFinite(duration)) continue;
      dot.t.push(gcTime(event));
      dot.v.push(duration);
    }
    // Events arrive in batches; a chart's points must run forward in time.
    for (const series of dots.values()) sortByTime(series);
    this.gcDots = new Map([...dots].filter(([, series]) => series.t.length > 0));
    this.trend = this.process.type === 'subject' ? leakTrend(latestVerdict(events)) : undefined;
    return this;
  }
}

function sortByTime(series: Series): void {
  const order = series.t.map((_, index) => index).sort((a, b) => series.t[a]! - series.t[b]!);
  const t = order.map((index) => series.t[index]!);
  const v = order.map((index) => series.v[index]!);
  series.t = t;
  series.v = v;
}

function leakTrend(verdict: Record<string, unknown> | undefined): Series | undefined {
  const t0 = Number(verdict?.t0);
  const t1 = Number(verdict?.t1);
  const intercept = Number(verdict?.interceptMb);
  const slope = Number(verdict?.slopeMbPerMin);
  return verdict && [t0, t1, intercept, slope].every(Number.isFinite) && t1 > t0
    ? { unit: 'MB', label: 'trend', t: [t0, t1], v: [intercept, intercept + (slope * (t1 - t0)) / 60_000] }
    : undefined;
}

/**
 * Whether the process ran the runtime probe (heap spaces, GC). A cluster
 * worker without it reports only heap used, delay p99 and CPU with its
 * request counts; with it, those stay the supervisor's (worker.<slot>.heap,
 * .eld, .cpu) and the probe adds the rest.
 */
export const isProbed = (source: SeriesSource, process: RuntimeProcessRef) =>
  source.series(series(process, 'heap.old')) !== undefined || source.series(series(process, 'gc.pauseMs')) !== undefined;

/** What a cluster worker's supervisor reports of it (heap used, event-loop delay p99); nothing for other processes. */
export function reported(process: RuntimeProcessRef, metric: 'heap' | 'eld'): string | undefined {
  return process.type === 'worker' ? workerSeriesName(process.slot, metric) : undefined;
}

/** The series a process's heap used and event-loop delay come from: the probe's, or what its supervisor reports. */
interface Sources {
  heapUsed: 'probe' | 'supervisor';
  eventLoop: 'probe' | 'supervisor';
}

const probeSources: Sources = { heapUsed: 'probe', eventLoop: 'probe' };

function sourcesOf(source: SeriesSource, process: RuntimeProcessRef): Sources {
  const has = (name: string | undefined) => name !== undefined && source.series(name) !== undefined;
  return {
    heapUsed: has(series(process, 'heapUsed')) || !has(reported(process, 'heap')) ? 'probe' : 'supervisor',
    eventLoop: has(series(process, 'eldP99')) || !has(reported(process, 'eld')) ? 'probe' : 'supervisor',
  };
}

/**
 * The engine's event loop in a run whose kind measures the engine's main
 * thread itself (the pool kind: eldP99, elu): its probe left the loop out,
 * and the run's own charts show it.
 */
export function loopShownByKind(source: SeriesSource, process: RuntimeProcessRef): boolean {
  return process.type === 'engine' && !source.series(series(process, 'eldP99')) && source.series('eldP99') !== undefined;
}

/** A process's charts; lines whose series it lacks are simply not drawn. */
export function runtimeCharts(process: RuntimeProcessRef, from: Sources = probeSources): ChartDefinition[] {
  const id = (name: string) => `${processPrefix(process)}${name}`;
  const line = (metric: RuntimeMetric, label: string) => ({ series: series(process, metric), label });
  const supervisorHeap = from.heapUsed === 'supervisor' ? reported(process, 'heap') : undefined;
  const supervisorLoop = from.eventLoop === 'supervisor' ? reported(process, 'eld') : undefined;
  return [
    {
      id: id('heap-spaces'),
      title: 'Heap spaces (stacked)',
      lines: heapSpaceGroups.map((group) => ({ series: stackedName(process, group), label: group })),
    },
    {
      id: id('process-memory'),
      title: 'Process memory',
      lines: [
        line('rss', 'rss'),
        supervisorHeap ? { series: supervisorHeap, label: 'heap used' } : line('heapUsed', 'heap used'),
        line('external', 'external'),
        line('arrayBuffers', 'arrayBuffers'),
      ],
    },
    {
      id: id('live-set'),
      title: 'Live set: heap after major GC, with leak trend',
      lines: [line('leak.floor', 'after major GC'), ...(process.type === 'subject' ? [{ series: LEAK_TREND, label: 'trend' }] : [])],
    },
    {
      id: id('gc-events'),
      title: 'GC pauses: each GC, and per second',
      lines: [
        line('gc.pauseMs', 'per second'),
        ...GC_DOT_KINDS.map((kind) => ({ series: gcEventSeriesName(process, kind), label: kind, style: 'dots' as const })),
      ],
    },
    {
      id: id('gc-pauses'),
      title: 'GC pause per second, by kind',
      lines: [
        line(gcPauseMetric('minor'), 'minor'),
        line(gcPauseMetric('major'), 'major'),
        line(gcPauseMetric('incremental'), 'incremental'),
        line(gcPauseMetric('weakcb'), 'weak callbacks'),
      ],
    },
    {
      id: id('eld'),
      title: supervisorLoop ? 'Event-loop delay p99' : 'Event-loop delay',
      lines: supervisorLoop
        ? [{ series: supervisorLoop, label: 'p99' }]
        : [line('eldP50', 'p50'), line('eldP99', 'p99'), line('eldMax', 'max')],
    },
    {
      id: id('cpu'),
      title: 'CPU and event-loop utilisation',
      // A cluster worker's CPU is its supervisor's report (worker.<slot>.cpu), under the same name.
      // CPU of all threads in % of one core: above 100 on more than one core.
      lines: [line('cpu', 'CPU (100% = one core)'), line('elu', 'ELU')],
    },
  ];
}

/** A process's major GCs that paused long enough to matter, and possible-leak verdicts, across every chart. */
export function runtimeMarker(process: RuntimeProcessRef): NonNullable<ChartSet['marker']> {
  const name = processName(process);
  return (event) => {
    if (isGcOf(event, name)) {
      const duration = Number(event.data?.duration);
      return event.data?.kind === 'major' && duration >= NOTABLE_GC_MS
        ? { label: `GC ${duration.toFixed(0)} ms`, tone: 'action', x: gcTime(event) / 1000 }
        : undefined;
    }
    if (event.type === 'leak' && process.type === 'subject') return event.data?.status === 'possible-leak' ? { label: 'possible leak', tone: 'failure' } : undefined;
    return undefined;
  };
}

const hasData = (source: SeriesSource, definition: ChartDefinition) =>
  definition.lines.some((line) => (source.series(line.series)?.t.length ?? 0) > 0);

const panelSets = new Map<string, ChartSet>();

/** The runtime panel's charts of one process: only those it has data for. One set per process, so its derived source is made once. */
export function runtimeChartSet(process: RuntimeProcessRef): ChartSet {
  const key = processPrefix(process);
  let set = panelSets.get(key);
  if (!set) {
    set = {
      charts: (source) => runtimeCharts(process, sourcesOf(source, process)).filter((definition) => hasData(source, definition)),
      derive: (source) => new RuntimeSource(source, process),
      marker: runtimeMarker(process),
    };
    panelSets.set(key, set);
  }
  return set;
}

/** For pages that always show the same runtime charts, data or not yet (the Memory page). */
export function deriveRuntimeSource(source: SeriesSource, process: RuntimeProcessRef): SeriesSource {
  return new RuntimeSource(source, process);
}
