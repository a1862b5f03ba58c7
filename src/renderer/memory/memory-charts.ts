/**
 * How runtime series are drawn (named by src/main/engine/runtime/probe-writer.ts):
 * heap spaces stacked, process memory, event-loop delay, GC pauses per
 * second, the live-set floor with the leak detector's trend line; major GCs
 * and leak verdicts marked on the time axis.
 */
import type { RunEvent, Series } from '../../shared/metrics.js';
import { heapSpaceGroups } from '../../shared/runtime.js';
import type { ChartDefinition, ChartMarker } from '../charts/chart-definition.js';
import type { ChartSet } from '../charts/chart-sets.js';
import type { SeriesSource } from '../runs/series-source.js';

/** Major GCs shorter than this are not marked: a busy process does many, and each mark is a line on every chart. */
const NOTABLE_GC_MS = 10;

export const stackedName = (group: string) => `stack.${group}`;
export const LEAK_TREND = 'leak.trend';

/** The latest leak verdict carried by a run's events. */
export function latestVerdict(events: readonly RunEvent[] | undefined): Record<string, unknown> | undefined {
  if (!events) return undefined;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === 'leak') return events[i]!.data;
  return undefined;
}

/** Adds the stacked heap spaces (each line is the sum of the spaces below it) and the leak trend line. */
class RuntimeSource implements SeriesSource {
  private computedKey = '';
  private computedEvents = -1;
  private stacked = new Map<string, Series>();
  private trend: Series | undefined;

  constructor(private readonly inner: SeriesSource) {}

  get version(): number {
    return this.inner.version;
  }

  get events(): readonly RunEvent[] | undefined {
    return this.inner.events;
  }

  seriesNames(): string[] {
    return [...this.inner.seriesNames(), ...heapSpaceGroups.map(stackedName), LEAK_TREND];
  }

  series(name: string): Series | undefined {
    if (name === LEAK_TREND) return this.leakTrend();
    if (!name.startsWith('stack.')) return this.inner.series(name);
    this.compute();
    return this.stacked.get(name);
  }

  private compute(): void {
    // A saved record's version never changes; a live run's grows with its points.
    const key = `${this.inner.version}:${this.inner.series('heap.new')?.t.length ?? 0}`;
    if (key === this.computedKey) return;
    this.computedKey = key;
    this.stacked = new Map();
    let below: number[] | undefined;
    for (const group of heapSpaceGroups) {
      const series = this.inner.series(`heap.${group}`);
      if (!series) continue;
      const v = series.v.map((value, index) => value + (below?.[index] ?? 0));
      this.stacked.set(stackedName(group), { unit: 'MB', label: `${group} (stacked)`, t: series.t, v });
      below = v;
    }
  }

  private leakTrend(): Series | undefined {
    const count = this.inner.events?.length ?? 0;
    if (this.computedEvents !== count) {
      this.computedEvents = count;
      const verdict = latestVerdict(this.inner.events);
      const t0 = Number(verdict?.t0);
      const t1 = Number(verdict?.t1);
      const intercept = Number(verdict?.interceptMb);
      const slope = Number(verdict?.slopeMbPerMin);
      this.trend =
        verdict && [t0, t1, intercept, slope].every(Number.isFinite) && t1 > t0
          ? { unit: 'MB', label: 'trend', t: [t0, t1], v: [intercept, intercept + (slope * (t1 - t0)) / 60_000] }
          : undefined;
    }
    return this.trend;
  }
}

export const runtimeCharts: ChartDefinition[] = [
  {
    id: 'heap-spaces',
    title: 'Heap spaces (stacked)',
    lines: heapSpaceGroups.map((group) => ({ series: stackedName(group), label: group })),
  },
  {
    id: 'process-memory',
    title: 'Process memory',
    lines: [
      { series: 'rss', label: 'rss' },
      { series: 'heapUsed', label: 'heap used' },
      { series: 'external', label: 'external' },
      { series: 'arrayBuffers', label: 'arrayBuffers' },
    ],
  },
  {
    id: 'live-set',
    title: 'Live set: heap after major GC, with leak trend',
    lines: [
      { series: 'leak.floor', label: 'after major GC' },
      { series: LEAK_TREND, label: 'trend' },
    ],
  },
  {
    id: 'gc-pauses',
    title: 'GC pause per second',
    lines: [
      { series: 'gc.minor', label: 'minor' },
      { series: 'gc.major', label: 'major' },
      { series: 'gc.incremental', label: 'incremental' },
      { series: 'gc.weakcb', label: 'weak callbacks' },
    ],
  },
  {
    id: 'eld',
    title: 'Event-loop delay',
    lines: [
      { series: 'eldP50', label: 'p50' },
      { series: 'eldP99', label: 'p99' },
      { series: 'eldMax', label: 'max' },
    ],
  },
  {
    id: 'cpu',
    title: 'CPU and event-loop utilisation',
    lines: [
      { series: 'cpu', label: 'CPU' },
      { series: 'elu', label: 'ELU' },
    ],
  },
];

/** Major GCs that paused long enough to matter, possible-leak verdicts and out-of-memory failures. */
function runtimeMarker(event: RunEvent): Omit<ChartMarker, 'x'> | undefined {
  if (event.type === 'gc') {
    const duration = Number(event.data?.duration);
    return event.data?.kind === 'major' && duration >= NOTABLE_GC_MS ? { label: `GC ${duration.toFixed(0)} ms`, tone: 'action' } : undefined;
  }
  if (event.type === 'leak') return event.data?.status === 'possible-leak' ? { label: 'possible leak', tone: 'failure' } : undefined;
  if (event.type === 'job-failed') return { label: 'OOM', tone: 'failure' };
  return undefined;
}

export const memoryChartSet: ChartSet = {
  charts: runtimeCharts,
  derive: (source) => new RuntimeSource(source),
  marker: runtimeMarker,
};
