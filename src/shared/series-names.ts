/**
 * The names of series that travel from the engine to the renderer, built and
 * parsed in one place. The engine records a process's runtime under a prefix
 * per process (`engine.heapUsed`, `worker.2.heap.old`; the process a memory
 * run studies has none: `heapUsed`), a cluster run's per-worker figures as
 * `worker.<slot>.rps|eld|cpu|heap`, and every run's machine noise as
 * `noise.*`. The renderer parses names back with `parseSeriesName` instead of
 * matching them with regular expressions of its own.
 */
import { gcKinds, heapSpaceGroups, type GcKind, type HeapSpaceGroup } from './runtime.js';

/** A process whose runtime a run records, as its series names tell it. */
export type RuntimeProcessRef =
  /** The process the run studies, unprefixed (a memory run's sandbox). */
  | { type: 'subject' }
  /** The workbench's own process, recorded into every run: `engine.*`. */
  | { type: 'engine' }
  /** A cluster's test server in one slot: `worker.<slot>.*`. */
  | { type: 'worker'; slot: number }
  /** One process of a user's service, in the order its probe connected: `service.<index>.*`. */
  | { type: 'service'; index: number };

export const SUBJECT_PROCESS: RuntimeProcessRef = { type: 'subject' };
export const ENGINE_PROCESS: RuntimeProcessRef = { type: 'engine' };
export const workerProcess = (slot: number): RuntimeProcessRef => ({ type: 'worker', slot });
export const serviceProcess = (index: number): RuntimeProcessRef => ({ type: 'service', index });

/**
 * A process's name as its GC events carry it (`data.process`): `engine`,
 * `worker.2`; none for the unprefixed subject.
 */
export function processName(process: RuntimeProcessRef): string | undefined {
  switch (process.type) {
    case 'subject':
      return undefined;
    case 'engine':
      return 'engine';
    case 'worker':
      return `worker.${process.slot}`;
    case 'service':
      return `service.${process.index}`;
  }
}

/** What a process's series names start with: '', 'engine.', 'worker.2.'. */
export function processPrefix(process: RuntimeProcessRef): string {
  const name = processName(process);
  return name === undefined ? '' : `${name}.`;
}

/** A GC event's `data.process` back to its process; undefined for a name no process has. */
export function parseProcessName(name: string | undefined): RuntimeProcessRef | undefined {
  if (name === undefined) return SUBJECT_PROCESS;
  if (name === 'engine') return ENGINE_PROCESS;
  const service = /^service\.(\d+)$/.exec(name)?.[1];
  if (service !== undefined) return serviceProcess(Number(service));
  const slot = /^worker\.(\d+)$/.exec(name)?.[1];
  return slot === undefined ? undefined : workerProcess(Number(slot));
}

export const sameProcess = (a: RuntimeProcessRef, b: RuntimeProcessRef) => processPrefix(a) === processPrefix(b);

/** Series the runtime probe's writer records per process (engine/runtime/probe-writer.ts), and the live set a memory run adds. */
const plainRuntimeMetrics = [
  'heapUsed',
  'heapTotal',
  'rss',
  'external',
  'arrayBuffers',
  'eldP50',
  'eldP99',
  'eldMax',
  'elu',
  'cpu',
  'gc.pauseMs',
  /** Heap used after each major GC (the memory kind's leak detector). */
  'leak.floor',
] as const;
export type RuntimeMetric = (typeof plainRuntimeMetrics)[number] | `heap.${HeapSpaceGroup}` | `gc.${GcKind}`;

export const heapSpaceMetric = (group: HeapSpaceGroup): RuntimeMetric => `heap.${group}`;
export const gcPauseMetric = (kind: GcKind): RuntimeMetric => `gc.${kind}`;

const runtimeMetrics: ReadonlySet<string> = new Set<RuntimeMetric>([
  ...plainRuntimeMetrics,
  ...heapSpaceGroups.map(heapSpaceMetric),
  ...gcKinds.map(gcPauseMetric),
]);
const isRuntimeMetric = (value: string): value is RuntimeMetric => runtimeMetrics.has(value);

export function runtimeSeriesName(process: RuntimeProcessRef, metric: RuntimeMetric): string {
  return processPrefix(process) + metric;
}

/**
 * What the load kind records per worker of a Tunebench cluster: requests/s
 * (the generator's count of who answered) and, from the supervisor's rounds,
 * event-loop delay p99, CPU and heap used.
 */
export const workerMetrics = ['rps', 'eld', 'cpu', 'heap'] as const;
export type WorkerMetric = (typeof workerMetrics)[number];
/** Also per worker: its share of the requests (a summary value, and a series the renderer derives from rps). */
export type WorkerShareMetric = 'share';
/** Per-worker summary values only. */
export type WorkerCountMetric = 'requests' | 'restarts';

const workerNames: ReadonlySet<string> = new Set<string>([...workerMetrics, 'share', 'requests', 'restarts']);

export function workerSeriesName(slot: number, metric: WorkerMetric | WorkerShareMetric | WorkerCountMetric): string {
  return `${processPrefix(workerProcess(slot))}${metric}`;
}

/** The machine's noise, recorded for every run (values per sampling interval). */
export const NOISE_SERIES = {
  othersCores: 'noise.othersCores',
  steal: 'noise.stealRatio',
  loadAverage: 'noise.loadAverage',
  cpuPressure: 'noise.cpuPressure',
} as const;
export type NoiseMetric = keyof typeof NOISE_SERIES;
const noiseByName = new Map<string, NoiseMetric>(Object.entries(NOISE_SERIES).map(([metric, name]) => [name, metric as NoiseMetric]));

/** A series name, parsed. */
export type SeriesName =
  /** A cluster run's per-worker figure: worker.<slot>.rps|eld|cpu|heap (and its share, requests, restarts). */
  | { type: 'worker'; slot: number; metric: WorkerMetric | WorkerShareMetric | WorkerCountMetric }
  /** A process's runtime: engine.heapUsed, worker.2.gc.major, service.0.heap.old, rss. */
  | { type: 'runtime'; process: RuntimeProcessRef; metric: RuntimeMetric }
  | { type: 'noise'; metric: NoiseMetric }
  /** Any other: a kind's own series (throughput, latency.p99 ...) or one the renderer derives. */
  | { type: 'other'; name: string };

export function parseSeriesName(name: string): SeriesName {
  const noise = noiseByName.get(name);
  if (noise) return { type: 'noise', metric: noise };
  const worker = /^worker\.(\d+)\.(.+)$/.exec(name);
  if (worker) {
    const slot = Number(worker[1]);
    const rest = worker[2]!;
    // The supervisor's figures win over the probe's: a probed worker's heap used, delay and CPU are the supervisor's.
    if (workerNames.has(rest)) return { type: 'worker', slot, metric: rest as WorkerMetric | WorkerShareMetric | WorkerCountMetric };
    if (isRuntimeMetric(rest)) return { type: 'runtime', process: workerProcess(slot), metric: rest };
    return { type: 'other', name };
  }
  const service = /^service\.(\d+)\.(.+)$/.exec(name);
  if (service) {
    const rest = service[2]!;
    return isRuntimeMetric(rest) ? { type: 'runtime', process: serviceProcess(Number(service[1])), metric: rest } : { type: 'other', name };
  }
  if (name.startsWith('engine.')) {
    const rest = name.slice('engine.'.length);
    return isRuntimeMetric(rest) ? { type: 'runtime', process: ENGINE_PROCESS, metric: rest } : { type: 'other', name };
  }
  return isRuntimeMetric(name) ? { type: 'runtime', process: SUBJECT_PROCESS, metric: name } : { type: 'other', name };
}
