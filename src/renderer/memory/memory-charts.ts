/**
 * The Memory page's charts: the sandbox's runtime (drawn as every process's
 * is, see ../runtime/runtime-charts.ts), with out-of-memory worker failures
 * marked too.
 */
import { SUBJECT_PROCESS } from '../../shared/series-names.js';
import type { ChartSet } from '../charts/chart-sets.js';
import { deriveRuntimeSource, runtimeCharts, runtimeMarker } from '../runtime/runtime-charts.js';

export { latestVerdict } from '../runtime/runtime-charts.js';

/** A memory run's sandbox is the run's own process: its series have no prefix. */
const sandboxMarker = runtimeMarker(SUBJECT_PROCESS);

export const memoryChartSet: ChartSet = {
  charts: runtimeCharts(SUBJECT_PROCESS),
  derive: (source) => deriveRuntimeSource(source, SUBJECT_PROCESS),
  // In a memory run a failed job is a worker that ran out of heap.
  marker: (event) => (event.type === 'job-failed' ? { label: 'OOM', tone: 'failure' } : sandboxMarker(event)),
};
