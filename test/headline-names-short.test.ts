import { describe, expect, it } from 'vitest';
import { headlineName } from '../src/shared/headline-names.js';

describe('headline numbers have short names in one case style', () => {
  it.each([
    ['throughput', 'Throughput (answers received per second in the measured window)', 'throughput'],
    ['latency.p99', 'latency p99', 'latency p99'],
    ['latencyP95', 'End-to-end latency (wait + run) p95', 'latency p95'],
    ['latencyP95', 'query p95', 'latency p95'],
    ['errors', undefined, 'errors'],
    ['runP95', 'Run time p95', 'run time p95'],
    ['waitP95', 'Queue wait p95', 'queue wait p95'],
    ['leak.slopeMbPerMin', 'live-set growth (heap after major GC)', 'live-set growth'],
    ['gc.major.pauseMs', undefined, 'major GC pause'],
    // Not in the table: the label, shortened, lower case; the key in words without one.
    ['commits', 'Committed transactions (in the measured window)', 'committed transactions'],
    ['cpu', 'CPU of all threads', 'CPU of all threads'],
    ['connectionWait.p90', undefined, 'connection wait p90'],
  ])('%s (%s) → %s', (key, label, expected) => {
    expect(headlineName(key, label)).toBe(expected);
  });
});
