/**
 * How a run's summary reads on a page: metrics grouped by what they describe
 * (the requests, the latency, each process) with labels a person would write,
 * never an internal key such as "errors.non2xx" or "weakcb". Pure: the summary
 * table and its tests use it.
 */
import { LOAD_ERROR_KINDS, LOAD_ERROR_LABELS } from '../../shared/cluster-protocol.js';
import type { MetricValue } from '../../shared/metrics.js';
import { humanize } from '../format.js';

export interface SummaryRow {
  key: string;
  label: string;
  metric: MetricValue;
}

export interface SummaryGroup {
  title: string;
  rows: SummaryRow[];
}

/** Labels for keys whose kind gave none, or an internal one. */
const labels: Record<string, string> = {
  errors: 'errors (all kinds)',
  ...Object.fromEntries(LOAD_ERROR_KINDS.map((kind) => [`errors.${kind}`, LOAD_ERROR_LABELS[kind]])),
  'generator.utilization': 'generator utilisation',
  measuredSec: 'measured window',
  requestedRate: 'requested rate',
  requests: 'requests answered (sent in the measured window)',
  throughput: 'throughput',
  'latency.p999': 'latency p99.9',
  probeDropped: 'probe samples and GC events dropped',
  'gc.weakcb.count': 'weak-callback GCs',
  'gc.weakcb.pauseMs': 'weak-callback GC pause total',
  'gc.minor.count': 'minor GCs (scavenges)',
  'gc.incremental.count': 'incremental marking steps',
  'gc.incremental.pauseMs': 'incremental marking pause total',
  'leak.flagged': 'possible leak (1 = yes; the verdict in words is above)',
};

/** Keys whose label from the engine is not for a table row (the leak verdict's label is a whole sentence). */
const replaced = new Set(['leak.flagged']);

/** Labels of a worker's own figures, without the worker's name (its group says it). */
const workerLabels: Record<string, string> = {
  requests: 'requests answered',
  share: 'share of requests',
  restarts: 'restarts',
};

const processMetrics = /^(peakRss|peakHeapUsed|peakExternal|maxEldP99|meanElu|probeDropped|gc\.)/;

/** "Errors non2xx" style labels come from keys; a label from the engine that only repeats the key is treated the same. */
function labelOf(key: string, metric: MetricValue, within?: string): string {
  if (within !== undefined) {
    const own = workerLabels[key] ?? labels[key];
    if (own) return own;
  } else if (labels[key] && (!metric.label || replaced.has(key) || /weakcb|non2xx/.test(metric.label))) {
    return labels[key];
  }
  const label = metric.label ?? labels[key] ?? humanize(key).toLowerCase();
  const sentence = /weakcb/.test(label) ? label.replace(/weakcb/g, 'weak-callback') : label;
  // A worker's figure under its worker's group need not say which worker again.
  return within !== undefined ? sentence.replace(new RegExp(`^${within} `, 'i'), '').replace(/^(worker \d+|workbench|service process \d+): /i, '') : sentence;
}

function loadGroup(key: string): string {
  if (key.startsWith('latency.') || key.startsWith('response.') || key.startsWith('connectionWait.') || key === 'unfinishedShare') return 'Latency';
  if (key === 'errors' || key.startsWith('errors.') || key === 'errorRate') return 'Errors';
  if (key.endsWith('.limited')) return 'What limited the run';
  if (key.startsWith('generator.')) return 'Load generator';
  if (key.startsWith('mix.')) return 'Per endpoint of the mix';
  if (key === 'balance.maxOverFair') return 'Workers';
  return 'Requests';
}

function memoryGroup(key: string): string {
  if (key.startsWith('leak.')) return 'Leak detector';
  if (processMetrics.test(key)) return 'Sandbox process';
  return 'Scenario results';
}

/** The summary in groups, in the order the kind's keys first appear; one group when the kind has no grouping. */
export function groupSummary(kind: string | undefined, summary: Record<string, MetricValue>): SummaryGroup[] {
  const groups = new Map<string, SummaryRow[]>();
  const add = (title: string, row: SummaryRow) => {
    const rows = groups.get(title) ?? [];
    rows.push(row);
    groups.set(title, rows);
  };
  for (const [key, metric] of Object.entries(summary)) {
    const worker = /^worker\.(\d+)\.(.+)$/.exec(key);
    if (worker) {
      const title = `Worker ${worker[1]}`;
      add(title, { key, label: labelOf(worker[2]!, metric, `worker ${worker[1]}`), metric });
      continue;
    }
    if (key.startsWith('engine.')) {
      add('Workbench process', { key, label: labelOf(key.slice('engine.'.length), metric, 'engine'), metric });
      continue;
    }
    const title = kind === 'load' ? loadGroup(key) : kind === 'memory' ? memoryGroup(key) : 'Summary';
    add(title, { key, label: labelOf(key, metric), metric });
  }
  // The run's own figures first, then each process (workers by slot, the workbench last).
  const rank = (title: string) => (title === 'Workbench process' ? 2 : /^Worker \d+$/.test(title) ? 1 : 0);
  return [...groups]
    .map(([title, rows]) => ({ title, rows }))
    .sort((a, b) => rank(a.title) - rank(b.title) || (rank(a.title) === 1 ? Number(a.title.slice(7)) - Number(b.title.slice(7)) : 0));
}
