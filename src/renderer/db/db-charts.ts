import type { ChartDefinition } from '../charts/chart-definition.js';

/** The db kind's series (see src/main/engine/kinds/db/db-kind.ts), grouped into the charts the Database page shows. */
export const dbCharts: ChartDefinition[] = [
  {
    id: 'throughput',
    title: 'Throughput',
    lines: [
      { series: 'throughput', label: 'Queries/s' },
      { series: 'operations', label: 'Operations/s' },
    ],
  },
  {
    id: 'latency',
    title: 'Query latency',
    lines: [
      { series: 'latencyP50', label: 'p50' },
      { series: 'latencyP95', label: 'p95' },
      { series: 'latencyP99', label: 'p99' },
    ],
  },
  {
    id: 'pool',
    title: 'Pool clients',
    lines: [
      { series: 'poolTotal', label: 'Total' },
      { series: 'poolIdle', label: 'Idle' },
      { series: 'poolWaiting', label: 'Waiting' },
    ],
  },
  { id: 'acquire', title: 'Acquire wait', lines: [{ series: 'acquireP95', label: 'p95' }] },
];
