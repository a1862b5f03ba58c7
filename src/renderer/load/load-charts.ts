/**
 * How the load kind's runs are drawn (series recorded by src/main/engine/kinds/load/load-kind.ts, named by src/shared/series-names.ts):
 * the generator's view (throughput, latency, errors) and, when the target was
 * a Tunebench cluster, one line per worker, with restarts and faults marked.
 */
import type { RunEvent, Series } from '../../shared/metrics.js';
import { parseSeriesName, workerSeriesName, type WorkerMetric } from '../../shared/series-names.js';
import type { ChartDefinition, ChartMarker } from '../charts/chart-definition.js';
import type { ChartSet } from '../charts/chart-sets.js';
import type { SeriesSource } from '../runs/series-source.js';

/** Workers' reports of one supervisor round arrive within a millisecond; rounds are at least 200 ms apart. */
const SAME_ROUND_MS = 50;

/** The worker slots a run recorded, in order. */
export function workerSlots(source: SeriesSource): number[] {
  const slots = new Set<number>();
  for (const name of source.seriesNames()) {
    const parsed = parseSeriesName(name);
    if (parsed.type === 'worker' && parsed.metric === 'rps') slots.add(parsed.slot);
  }
  return [...slots].sort((a, b) => a - b);
}

/**
 * Each worker's share of the requests served, per supervisor round: its
 * requests/s over the sum of all workers' in the same round. Rounds where no
 * worker served anything have no share and are left out.
 */
export function requestShares(perWorker: ReadonlyMap<number, Series>): Map<number, Series> {
  const points: Array<{ t: number; slot: number; v: number }> = [];
  for (const [slot, series] of perWorker) {
    for (let i = 0; i < series.t.length; i++) points.push({ t: series.t[i]!, slot, v: series.v[i]! });
  }
  points.sort((a, b) => a.t - b.t);
  const shares = new Map<number, Series>();
  for (const slot of perWorker.keys()) shares.set(slot, { unit: 'percent', label: `worker ${slot}`, t: [], v: [] });
  let start = 0;
  while (start < points.length) {
    let end = start + 1;
    while (end < points.length && points[end]!.t - points[start]!.t < SAME_ROUND_MS) end++;
    const round = points.slice(start, end);
    const total = round.reduce((sum, point) => sum + Math.max(0, point.v), 0);
    if (total > 0) {
      // One timestamp per round, so the tooltip shows every worker at once.
      const t = round[0]!.t;
      for (const point of round) {
        const share = shares.get(point.slot)!;
        share.t.push(t);
        share.v.push((Math.max(0, point.v) / total) * 100);
      }
    }
    start = end;
  }
  return shares;
}

/** A source that adds `worker.<slot>.share` to what the run recorded, recomputed when the run grows. */
class WorkerShareSource implements SeriesSource {
  private computedAt = -1;
  private shares = new Map<number, Series>();

  constructor(private readonly inner: SeriesSource) {}

  get version(): number {
    return this.inner.version;
  }

  get events(): readonly RunEvent[] | undefined {
    return this.inner.events;
  }

  series(name: string): Series | undefined {
    const parsed = parseSeriesName(name);
    if (parsed.type !== 'worker' || parsed.metric !== 'share') return this.inner.series(name);
    return this.current().get(parsed.slot);
  }

  seriesNames(): string[] {
    return [...this.inner.seriesNames(), ...[...this.current().keys()].map((slot) => workerSeriesName(slot, 'share'))];
  }

  private current(): Map<number, Series> {
    // A saved record keeps version 0 and never grows, so it is computed once.
    if (this.computedAt !== this.inner.version) {
      const perWorker = new Map<number, Series>();
      for (const slot of workerSlots(this.inner)) {
        const series = this.inner.series(workerSeriesName(slot, 'rps'));
        if (series) perWorker.set(slot, series);
      }
      this.shares = requestShares(perWorker);
      this.computedAt = this.inner.version;
    }
    return this.shares;
  }
}

const generatorCharts: ChartDefinition[] = [
  { id: 'throughput', title: 'Throughput', lines: [{ series: 'throughput', label: 'Requests/s' }] },
  {
    id: 'latency',
    title: 'Latency',
    lines: [
      { series: 'latency.p50', label: 'p50' },
      { series: 'latency.p90', label: 'p90' },
      { series: 'latency.p99', label: 'p99' },
      { series: 'latency.p999', label: 'p99.9' },
      { series: 'latency.max', label: 'max' },
    ],
  },
  {
    id: 'errors',
    title: 'Errors',
    lines: [
      { series: 'errors.non2xx', label: 'non-2xx' },
      { series: 'errors.timeout', label: 'timeout' },
      { series: 'errors.reset', label: 'reset' },
      { series: 'errors.refused', label: 'refused' },
      { series: 'errors.other', label: 'other' },
    ],
  },
];

const perWorkerCharts: Array<{ id: string; title: string; metric: Extract<WorkerMetric, 'eld' | 'heap'> | 'share' }> = [
  { id: 'share', title: 'Request share per worker', metric: 'share' },
  { id: 'eld', title: 'Event-loop delay p99 per worker', metric: 'eld' },
  { id: 'heap', title: 'Heap used per worker', metric: 'heap' },
];

/** The mix entries a run recorded latency for, in order (mix.<i>.latency.p99, as imported k6 and Artillery runs have too). */
export function mixEntries(source: SeriesSource): number[] {
  const entries = new Set<number>();
  for (const name of source.seriesNames()) {
    const index = /^mix\.(\d+)\.latency\.p99$/.exec(name)?.[1];
    if (index !== undefined) entries.add(Number(index));
  }
  return [...entries].sort((a, b) => a - b);
}

/** Latency per endpoint of the mix, one line each, when the mix has more than one. */
function endpointCharts(source: SeriesSource): ChartDefinition[] {
  const entries = mixEntries(source);
  if (entries.length < 2) return [];
  const line = (index: number) => {
    const series = `mix.${index}.latency.p99`;
    const label = source.series(series)?.label?.replace(/: latency p99$/, '') ?? `endpoint ${index + 1}`;
    return { series, label };
  };
  return [{ id: 'endpoint-latency', title: 'Latency p99 per endpoint', lines: entries.map(line) }];
}

function loadCharts(source: SeriesSource): ChartDefinition[] {
  const slots = workerSlots(source);
  const base = [...generatorCharts, ...endpointCharts(source)];
  // A run against a URL has no workers to draw; a cluster run gets them with its first report.
  if (slots.length === 0) return base;
  return [
    ...base,
    ...perWorkerCharts.map(({ id, title, metric }) => ({
      id,
      title,
      lines: slots.map((slot) => ({ series: workerSeriesName(slot, metric), label: `worker ${slot}` })),
    })),
  ];
}

function slotOf(event: RunEvent): string {
  const slot = event.data?.slot;
  return typeof slot === 'number' ? ` w${slot}` : '';
}

/** Restarts and crashes in red at the top of each chart; what the user did in amber at the bottom. */
function loadMarker(event: RunEvent): Omit<ChartMarker, 'x'> | undefined {
  switch (event.type) {
    case 'restart':
      return { label: `restart${slotOf(event)}`, tone: event.data?.reason === 'rolling restart' ? 'action' : 'failure' };
    case 'crash-loop':
      return { label: `crash loop${slotOf(event)}`, tone: 'failure' };
    case 'health':
      return { label: `unhealthy${slotOf(event)}`, tone: 'failure' };
    case 'cluster-lost':
      return { label: 'cluster lost', tone: 'failure' };
    case 'fault': {
      const action = event.data?.action;
      return { label: `${action === 'kill' ? 'kill -9' : typeof action === 'string' ? action : 'fault'}${slotOf(event)}`, tone: 'action' };
    }
    case 'rolling-restart':
      return { label: typeof event.data?.durationMs === 'number' ? 'rolling restart done' : 'rolling restart', tone: 'action' };
    default:
      return undefined;
  }
}

export const loadChartSet: ChartSet = {
  charts: loadCharts,
  derive: (source) => new WorkerShareSource(source),
  marker: loadMarker,
};
