/**
 * The settings a sweep can vary, as the kinds' pages label them, by their
 * path in a spec. A path not listed here still works: it is shown by name.
 */
const labels: Record<string, string> = {
  'pool.threads': 'Threads',
  'pool.implementation': 'Implementation',
  'pool.maxQueue': 'Max queue',
  'pool.maxOldGenerationMb': 'Max old generation (MB)',
  'task.name': 'Task',
  'task.params.limit': 'Task: primes up to',
  'task.params.n': 'Task: n',
  'task.params.size': 'Task: size',
  'task.params.ms': 'Task: milliseconds',
  jobs: 'Jobs',
  concurrency: 'Concurrency',
  warmupSec: 'Warm-up (s)',
  warmupJobs: 'Warm-up count',
  sampleIntervalMs: 'Sample interval (ms)',
  timeLimitSec: 'Stop after (s)',
  'pool.max': 'Max clients',
  'pool.min': 'Min clients',
  'pool.idleTimeoutMillis': 'Idle timeout (ms)',
  'pool.connectionTimeoutMillis': 'Connection timeout (ms)',
  'pool.statementTimeoutMs': 'statement_timeout (ms)',
  'pool.queryTimeoutMs': 'query_timeout (ms)',
  'pool.preparedStatements': 'Named prepared statements',
  'workload.type': 'Workload',
  'workload.rows': 'Rows',
  durationSec: 'Duration (s)',
  operations: 'Operations',
  slowQueryMs: 'Slow query threshold (ms)',
  'target.cluster.workers': 'Cluster workers',
  'target.cluster.maxOldSpaceMb': 'Cluster: max old space (MB)',
  'target.cluster.uvThreadpoolSize': 'Cluster: UV threadpool size',
  'load.mode': 'Load mode',
  'load.connections': 'Connections',
  'load.rate': 'Arrival rate (req/s)',
  'load.durationSec': 'Load duration (s)',
  'load.warmupSec': 'Load warm-up (s)',
  'load.requests': 'Requests',
  scenario: 'Scenario',
  rate: 'Rate (per s)',
  objectSizeBytes: 'Object size (bytes)',
  retainMs: 'Retain (ms)',
  maxOldSpaceMb: '--max-old-space-size (MB)',
  workerHeapMb: 'Worker heap limit (MB)',
  taskMs: 'CPU task (ms)',
  probeIntervalMs: 'Probe interval (ms)',
};

/** 'Threads', 'Knob poolMax', or the path itself when nothing names it better. */
export function settingLabel(path: string): string {
  const knob = /^target\.knobs\.(.+)$/.exec(path)?.[1];
  if (knob) return `Knob ${knob}`;
  return labels[path] ?? path;
}

/** Paths that only say how a run is sampled or named: suggested last. */
const bookkeeping = /^(sampleIntervalMs|probeIntervalMs|seed|name|target\.type|target\.url)$|^leakRule\./;

/** The sweepable settings in the order a person looks for them: knobs, then labelled settings, then the rest. */
export function orderSettings(paths: readonly string[]): string[] {
  const rank = (path: string) => (path.startsWith('target.knobs.') ? 0 : bookkeeping.test(path) ? 3 : labels[path] ? 1 : 2);
  return [...paths].sort((a, b) => rank(a) - rank(b));
}
