import { describe, expect, it } from 'vitest';
import { groupSummary } from '../src/renderer/components/summary-groups.js';
import type { MetricValue } from '../src/shared/metrics.js';

const metric = (value: number, label?: string): MetricValue => ({ value, unit: 'count', better: 'neither', ...(label ? { label } : {}) });

describe('a run summary on a page', () => {
  it('groups a load run by what it describes and by process, with labels a person would write', () => {
    const groups = groupSummary('load', {
      requests: metric(100, 'Requests answered (sent in the measured window)'),
      'latency.p99': metric(3, 'latency p99'),
      'errors.non2xx': metric(0),
      'generator.limited': metric(0, 'generator-limited: its CPU, event loop or backlog (1 = yes)'),
      'generator.utilization': metric(10),
      'worker.0.requests': metric(60),
      'worker.0.gc.weakcb.count': metric(0, 'weakcb GCs'),
      'worker.1.share': metric(40, 'worker 1 share of requests'),
      'engine.peakRss': metric(90, 'peak RSS'),
    });
    expect(groups.map((group) => group.title)).toEqual([
      'Requests',
      'Latency',
      'Errors',
      'What limited the run',
      'Load generator',
      'Worker 0',
      'Worker 1',
      'Workbench process',
    ]);
    const labels = groups.flatMap((group) => group.rows.map((row) => row.label));
    expect(labels).toContain('non-2xx answers');
    expect(labels).toContain('weak-callback GCs');
    expect(labels).toContain('generator utilisation');
    expect(groups.find((group) => group.title === 'Worker 1')!.rows[0]!.label).toBe('share of requests');
    expect(labels.join(' ')).not.toMatch(/non2xx|weakcb|Errors non|Generator utilization/);
  });

  it('keeps pool and db summaries in one group, and reads the memory verdict row as a flag', () => {
    expect(groupSummary('pool', { throughput: metric(5, 'Throughput'), waitP95: metric(1, 'Queue wait p95') }).map((group) => group.title)).toEqual([
      'Summary',
    ]);
    const memory = groupSummary('memory', {
      peakRss: metric(100, 'peak RSS'),
      'leak.flagged': metric(0, 'leak verdict: no-leak (flat)'),
      objectsAllocated: metric(5, 'objects allocated'),
    });
    expect(memory.map((group) => group.title)).toEqual(['Sandbox process', 'Leak detector', 'Scenario results']);
    expect(memory[1]!.rows[0]!.label).toMatch(/^possible leak \(1 = yes/);
  });
});
