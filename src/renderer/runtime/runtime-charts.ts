/**
 * How a process's runtime series are drawn (named by
 * src/main/engine/runtime/probe-writer.ts, with a prefix per process when a
 * run records several: engine.heapUsed, worker.2.heapUsed; a memory run's
 * sandbox has none): heap spaces stacked, process memory, GC events and pause
 * per second, event-loop delay, CPU, and the live-set floor with the leak
 * detector's trend line. The Memory page and the runtime panel both draw
 * from here.
 */
import type { RunEvent, Series } from '../../shared/metrics.js';
import { heapSpaceGroups, NOTABLE_GC_MS } from '../../shared/runtime.js';
import type { ChartDefinition } from '../charts/chart-definition.js';
import type { ChartSet } from '../charts/chart-sets.js';
import { humanize } from '../format.js';
import type { SeriesSource } from '../runs/series-source.js';

export const stackedName = (prefix: string, group: string) => `${prefix}stack.${group}`;
export const gcEventSeriesName = (prefix: string, kind: string) => `${prefix}gcEvent.${kind}`;
export const LEAK_TREND = 'leak.trend';
/** Dots in this order take the chart palette's orange, green, red and purple, so a major GC reads red. */
const GC_DOT_KINDS = ['minor', 'incremental', 'major', 'weakcb'] as const;
export const ENGINE_PREFIX = 'engine.';

/** One process a run recorded the runtime of. */
export interface RuntimeProcess {
  /** Its series names' prefix: '' (a memory run's sandbox), 'engine.', 'worker.2.' ... */
  prefix: string;
  label: string;
}

/** The name a process's GC events carry as data.process; none for the unprefixed one. */
const processNameOf = (prefix: string): string | undefined => (prefix ? prefix.replace(/\.$/, '') : undefined);

function processLabel(prefix: string, kind: string): string {
  if (prefix === ENGINE_PREFIX) return 'Engine (this workbench)';
  if (prefix === '' || prefix === 'sandbox.') return kind === 'memory' || prefix ? 'Memory sandbox' : 'Process';
  if (prefix === 'supervisor.') return 'Cluster supervisor';
  const worker = /^worker\.(\d+)\.$/.exec(prefix);
  if (worker) return `Test server, worker ${worker[1]}`;
  return humanize(prefix.replace(/\.$/, ''));
}

const workerNumber = (prefix: string) => Number(/^worker\.(\d+)\.$/.exec(prefix)?.[1] ?? Number.NaN);

/**
 * The processes a run recorded, found by their series: the probe's heapUsed,
 * or the heap a cluster worker reports with its request counts. The
 * processes a run studies come first, the engine last.
 */
export function runtimeProcesses(source: SeriesSource, kind: string): RuntimeProcess[] {
  const prefixes = new Set<string>();
  for (const name of source.seriesNames()) {
    const probed = name.endsWith('heapUsed') ? name.slice(0, -'heapUsed'.length) : undefined;
    if (probed !== undefined && (probed === '' || probed.endsWith('.'))) prefixes.add(probed);
    const worker = /^(worker\.\d+\.)heap$/.exec(name);
    if (worker) prefixes.add(worker[1]!);
  }
  const rank = (prefix: string) => (prefix === '' ? 0 : prefix === ENGINE_PREFIX ? 3 : prefix.startsWith('worker.') ? 2 : 1);
  return [...prefixes]
    .sort((a, b) => rank(a) - rank(b) || workerNumber(a) - workerNumber(b) || a.localeCompare(b))
    .map((prefix) => ({ prefix, label: processLabel(prefix, kind) }));
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

  constructor(
    private readonly inner: SeriesSource,
    private readonly prefix: string,
  ) {
    this.processName = processNameOf(prefix);
  }

  get version(): number {
    return this.inner.version;
  }

  get events(): readonly RunEvent[] | undefined {
    return this.inner.events;
  }

  seriesNames(): string[] {
    const { prefix } = this;
    return [
      ...this.inner.seriesNames(),
      ...heapSpaceGroups.map((group) => stackedName(prefix, group)),
      ...GC_DOT_KINDS.map((kind) => gcEventSeriesName(prefix, kind)),
      ...(prefix === '' ? [LEAK_TREND] : []),
    ];
  }

  series(name: string): Series | undefined {
    const { prefix } = this;
    if (!name.startsWith(prefix)) return this.inner.series(name);
    const local = name.slice(prefix.length);
    if (local.startsWith('stack.')) return this.computeStacked().get(name);
    if (local.startsWith('gcEvent.')) return this.computeFromEvents().gcDots.get(name);
    if (name === LEAK_TREND && prefix === '') return this.computeFromEvents().trend;
    return this.inner.series(name);
  }

  private computeStacked(): Map<string, Series> {
    // A saved record's version never changes; a live run's grows with its points.
    const key = `${this.inner.version}:${this.inner.series(`${this.prefix}heap.new`)?.t.length ?? 0}`;
    if (key === this.stackedKey) return this.stacked;
    this.stackedKey = key;
    this.stacked = new Map();
    let below: number[] | undefined;
    for (const group of heapSpaceGroups) {
      const series = this.inner.series(`${this.prefix}heap.${group}`);
      if (!series) continue;
      const v = series.v.map((value, index) => value + (below?.[index] ?? 0));
      this.stacked.set(stackedName(this.prefix, group), { unit: 'MB', label: `${group} (stacked)`, t: series.t, v });
      below = v;
    }
    return this.stacked;
  }

  private computeFromEvents(): this {
    const events = this.inner.events ?? [];
    if (this.eventsSeen === events.length) return this;
    this.eventsSeen = events.length;
    const dots = new Map<string, Series>(
      GC_DOT_KINDS.map((kind) => [gcEventSeriesName(this.prefix, kind), { unit: 'ms', label: `${kind} GC`, t: [], v: [] }]),
    );
    for (const event of events) {
      if (!isGcOf(event, this.processName)) continue;
      const series = dots.get(gcEventSeriesName(this.prefix, String(event.data?.kind)));
      const duration = Number(event.data?.duration);
      if (!series || !Number.isFinite(duration)) continue;
      series.t.push(gcTime(event));
      series.v.push(duration);
    }
    // Events arrive in batches; a chart's points must run forward in time.
    for (const series of dots.values()) sortByTime(series);
    this.gcDots = new Map([...dots].filter(([, series]) => series.t.length > 0));
    this.trend = this.prefix === '' ? leakTrend(latestVerdict(events)) : undefined;
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
export const isProbed = (source: SeriesSource, prefix: string) =>
  source.series(`${prefix}heap.old`) !== undefined || source.series(`${prefix}gc.pauseMs`) !== undefined;

/** The series a process's heap used and event-loop delay come from: the probe's, or what its supervisor reports. */
interface Sources {
  heapUsed: 'heapUsed' | 'heap';
  eventLoop: 'percentiles' | 'p99';
}

const probeSources: Sources = { heapUsed: 'heapUsed', eventLoop: 'percentiles' };

function sourcesOf(source: SeriesSource, prefix: string): Sources {
  return {
    heapUsed: source.series(`${prefix}heapUsed`) || !source.series(`${prefix}heap`) ? 'heapUsed' : 'heap',
    eventLoop: source.series(`${prefix}eldP99`) || !source.series(`${prefix}eld`) ? 'percentiles' : 'p99',
  };
}

/**
 * The engine's event loop in a run whose kind measures the engine's main
 * thread itself (the pool kind: eldP99, elu): its probe left the loop out,
 * and the run's own charts show it.
 */
export function loopShownByKind(source: SeriesSource, prefix: string): boolean {
  return prefix === ENGINE_PREFIX && !source.series(`${prefix}eldP99`) && source.series('eldP99') !== undefined;
}

/** A process's charts; lines whose series it lacks are simply not drawn. */
export function runtimeCharts(prefix: string, from: Sources = probeSources): ChartDefinition[] {
  const p = prefix;
  const id = (name: string) => `${p}${name}`;
  return [
    {
      id: id('heap-spaces'),
      title: 'Heap spaces (stacked)',
      lines: heapSpaceGroups.map((group) => ({ series: stackedName(p, group), label: group })),
    },
    {
      id: id('process-memory'),
      title: 'Process memory',
      lines: [
        { series: `${p}rss`, label: 'rss' },
        { series: `${p}${from.heapUsed}`, label: 'heap used' },
        { series: `${p}external`, label: 'external' },
        { series: `${p}arrayBuffers`, label: 'arrayBuffers' },
      ],
    },
    {
      id: id('live-set'),
      title: 'Live set: heap after major GC, with leak trend',
      lines: [
        { series: `${p}leak.floor`, label: 'after major GC' },
        ...(p === '' ? [{ series: LEAK_TREND, label: 'trend' }] : []),
      ],
    },
    {
      id: id('gc-events'),
      title: 'GC pauses: each GC, and per second',
      lines: [
        { series: `${p}gc.pauseMs`, label: 'per second' },
        ...GC_DOT_KINDS.map((kind) => ({ series: gcEventSeriesName(p, kind), label: kind, style: 'dots' as const })),
      ],
    },
    {
      id: id('gc-pauses'),
      title: 'GC pause per second, by kind',
      lines: [
        { series: `${p}gc.minor`, label: 'minor' },
        { series: `${p}gc.major`, label: 'major' },
        { series: `${p}gc.incremental`, label: 'incremental' },
        { series: `${p}gc.weakcb`, label: 'weak callbacks' },
      ],
    },
    {
      id: id('eld'),
      title: from.eventLoop === 'p99' ? 'Event-loop delay p99' : 'Event-loop delay',
      lines:
        from.eventLoop === 'p99'
          ? [{ series: `${p}eld`, label: 'p99' }]
          : [
              { series: `${p}eldP50`, label: 'p50' },
              { series: `${p}eldP99`, label: 'p99' },
              { series: `${p}eldMax`, label: 'max' },
            ],
    },
    {
      id: id('cpu'),
      title: 'CPU and event-loop utilisation',
      lines: [
        { series: `${p}cpu`, label: 'CPU' },
        { series: `${p}elu`, label: 'ELU' },
      ],
    },
  ];
}

/** A process's major GCs that paused long enough to matter, and possible-leak verdicts, across every chart. */
export function runtimeMarker(prefix: string): NonNullable<ChartSet['marker']> {
  const processName = processNameOf(prefix);
  return (event) => {
    if (isGcOf(event, processName)) {
      const duration = Number(event.data?.duration);
      return event.data?.kind === 'major' && duration >= NOTABLE_GC_MS
        ? { label: `GC ${duration.toFixed(0)} ms`, tone: 'action', x: gcTime(event) / 1000 }
        : undefined;
    }
    if (event.type === 'leak' && prefix === '') return event.data?.status === 'possible-leak' ? { label: 'possible leak', tone: 'failure' } : undefined;
    return undefined;
  };
}

const hasData = (source: SeriesSource, definition: ChartDefinition) =>
  definition.lines.some((line) => (source.series(line.series)?.t.length ?? 0) > 0);

const panelSets = new Map<string, ChartSet>();

/** The runtime panel's charts of one process: only those it has data for. One set per prefix, so its derived source is made once. */
export function runtimeChartSet(prefix: string): ChartSet {
  let set = panelSets.get(prefix);
  if (!set) {
    set = {
      charts: (source) => runtimeCharts(prefix, sourcesOf(source, prefix)).filter((definition) => hasData(source, definition)),
      derive: (source) => new RuntimeSource(source, prefix),
      marker: runtimeMarker(prefix),
    };
    panelSets.set(prefix, set);
  }
  return set;
}

/** For pages that always show the same runtime charts, data or not yet (the Memory page). */
export function deriveRuntimeSource(source: SeriesSource, prefix: string): SeriesSource {
  return new RuntimeSource(source, prefix);
}
