/**
 * What a spec's settings are called wherever a person sees them: the kinds'
 * forms label their fields with these, and the sweep builder offers the same
 * words for the settings a sweep can vary. Keyed by the setting's path in the
 * spec, one table per kind; a path not listed is shown by its path.
 */
import type { ExperimentKind } from './index.js';

/** The test-server cluster's settings (the Load page's cluster panel, and a load spec's target.cluster). */
export const clusterSettingLabels = {
  workers: 'Workers',
  maxOldSpaceMb: 'Max old space (MB)',
  uvThreadpoolSize: 'UV threadpool size',
  keepAliveTimeoutMs: 'Keep-alive timeout (ms)',
  poolThreads: 'In-server pool size',
  probeIntervalMs: 'Runtime probe interval (ms)',
} as const;

/** A pool task's parameters (task.params.<key>). */
export const taskParamLabels: Readonly<Record<string, string>> = {
  n: 'n',
  limit: 'Limit',
  size: 'Size',
  width: 'Width',
  height: 'Height',
  seed: 'Seed',
  ms: 'Milliseconds',
};

export function taskParamLabel(key: string): string {
  return taskParamLabels[key] ?? capitalised(key);
}

/** A database workload's parameters (workload.<key>), whichever workloads have them. */
export const workloadParamLabels: Readonly<Record<string, string>> = {
  rows: 'Rows',
  limit: 'Limit',
  payloadBytes: 'Payload bytes',
  rowsPerCase: 'Rows per case',
  chunkSizes: 'Chunk sizes',
  methods: 'Methods',
  accounts: 'Accounts',
  maxRetries: 'Max retries',
  backoffBaseMs: 'Backoff base (ms)',
  backoffMaxMs: 'Backoff max (ms)',
  keySpace: 'Key space',
  cacheMaxEntries: 'Cache entries',
  cacheTtlMs: 'Cache TTL (ms)',
  sql: 'SQL',
  params: 'Parameters',
  allowPrivilegedRole: 'Run my SQL as this privileged role',
};

function capitalised(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

export function workloadParamLabel(key: string): string {
  return workloadParamLabels[key] ?? capitalised(key);
}

export const poolSettingLabels = {
  'task.name': 'Task',
  'pool.implementation': 'Implementation',
  'pool.threads': 'Threads',
  'pool.maxQueue': 'Max queue',
  'pool.maxOldGenerationMb': 'Max old generation (MB)',
  jobs: 'Jobs',
  concurrency: 'Concurrency',
  warmupSec: 'Warm-up (s)',
  warmupJobs: 'Warm-up count',
  sampleIntervalMs: 'Sample interval (ms)',
  timeLimitSec: 'Stop after (s)',
  name: 'Name',
} as const;

export const dbSettingLabels = {
  target: 'Server',
  'workload.type': 'Workload',
  'pool.max': 'Max clients',
  'pool.min': 'Min clients',
  'pool.idleTimeoutMillis': 'Idle timeout (ms)',
  'pool.connectionTimeoutMillis': 'Connection timeout (ms)',
  'pool.statementTimeoutMs': 'statement_timeout (ms)',
  'pool.queryTimeoutMs': 'query_timeout (ms)',
  'pool.preparedStatements': 'Named prepared statements',
  concurrency: 'Concurrency',
  durationSec: 'Duration (s)',
  warmupSec: 'Warm-up (s)',
  operations: 'Operations',
  slowQueryMs: 'Slow query threshold (ms)',
  seed: 'Seed',
  name: 'Name',
} as const;

export const loadSettingLabels = {
  'load.mode': 'Mode',
  'load.connections': 'Connections',
  'load.rate': 'Rate (req/s)',
  'load.durationSec': 'Duration (s)',
  'load.warmupSec': 'Warm-up (s)',
  'load.timeoutMs': 'Timeout (ms)',
  'load.requests': 'Max requests',
  sampleIntervalMs: 'Sample interval (ms)',
  'target.url': 'URL',
  'target.cluster.workers': `Cluster: ${clusterSettingLabels.workers}`,
  'target.cluster.maxOldSpaceMb': `Cluster: ${clusterSettingLabels.maxOldSpaceMb}`,
  'target.cluster.uvThreadpoolSize': `Cluster: ${clusterSettingLabels.uvThreadpoolSize}`,
  'target.cluster.keepAliveTimeoutMs': `Cluster: ${clusterSettingLabels.keepAliveTimeoutMs}`,
  'target.cluster.poolThreads': `Cluster: ${clusterSettingLabels.poolThreads}`,
  name: 'Name',
} as const;

export const memorySettingLabels = {
  scenario: 'Scenario',
  durationSec: 'Duration (s)',
  rate: 'Rate (per s)',
  objectSizeBytes: 'Object size (bytes)',
  retainMs: 'Retain (ms)',
  maxOldSpaceMb: '--max-old-space-size (MB)',
  workerHeapMb: 'Worker heap limit (MB)',
  taskMs: 'CPU task (ms)',
  probeIntervalMs: 'Probe interval (ms)',
  'leakRule.minGrowthMbPerMin': 'Leak: growth at least (MB/min)',
  'leakRule.minR2': 'Leak: R² at least',
  'leakRule.sustainSec': 'Leak: sustained for (s)',
  'leakRule.windowSec': 'Leak: window (s)',
  'leakRule.warmupSec': 'Leak: ignore first (s)',
  'leakRule.minPoints': 'Leak: major-GC points at least',
  name: 'Name',
} as const;

const byKind: Readonly<Record<ExperimentKind, Readonly<Record<string, string>>>> = {
  pool: poolSettingLabels,
  db: dbSettingLabels,
  load: loadSettingLabels,
  memory: memorySettingLabels,
};

/** 'Threads', 'Knob poolMax', 'Task: Limit', or undefined when nothing names the path better than itself. */
export function settingLabelOf(kind: ExperimentKind, path: string): string | undefined {
  const knob = /^target\.knobs\.(.+)$/.exec(path)?.[1];
  if (knob) return `Knob ${knob}`;
  const param = /^task\.params\.(.+)$/.exec(path)?.[1];
  if (param && kind === 'pool') return `Task: ${taskParamLabel(param)}`;
  const workloadParam = /^workload\.(.+)$/.exec(path)?.[1];
  if (workloadParam && workloadParam !== 'type' && kind === 'db') return `Workload: ${workloadParamLabel(workloadParam)}`;
  return byKind[kind][path];
}
