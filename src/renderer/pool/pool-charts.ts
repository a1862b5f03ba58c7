import type { ChartDefinition } from '../charts/chart-definition.js';

/** The pool kind's series (see src/main/engine/pool), grouped into the charts the Pool page shows. */
export const poolCharts: ChartDefinition[] = [
  { id: 'throughput', title: 'Throughput', lines: [{ series: 'throughput', label: 'Throughput' }] },
  {
    id: 'wait',
    title: 'Wait time',
    lines: [
      { series: 'waitP50', label: 'p50' },
      { series: 'waitP95', label: 'p95' },
      { series: 'waitP99', label: 'p99' },
    ],
  },
  {
    id: 'run',
    title: 'Run duration',
    lines: [
      { series: 'runP50', label: 'p50' },
      { series: 'runP95', label: 'p95' },
      { series: 'runP99', label: 'p99' },
    ],
  },
  { id: 'queue', title: 'Queue depth', lines: [{ series: 'queueDepth', label: 'Queued jobs' }] },
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
    id: 'utilisation',
    title: 'Utilisation',
    lines: [
      { series: 'utilisation', label: 'Workers' },
      { series: 'elu', label: 'Main thread' },
    ],
  },
];
