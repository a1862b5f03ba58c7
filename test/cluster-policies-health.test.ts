import { describe, expect, it } from 'vitest';
import {
  EMPTY_WINDOW,
  errorRateDecision,
  healthDecision,
  type ErrorWindow,
  type HealthDecision,
  type HealthPolicy,
  type HealthSample,
} from '../src/workers/cluster/policies.js';

/** The schema's defaults: error rate over 10 % of at least 100 requests, p99 delay 2 s, heap 1 GB. */
const policy: HealthPolicy = {
  errorRate: { enabled: true, threshold: 0.1, minRequests: 100 },
  eventLoopDelay: { enabled: true, p99Ms: 2_000 },
  heap: { enabled: true, limitMb: 1_024 },
};
const healthy: HealthSample = { eldP99Ms: 3, heapUsedMb: 40 };
const w = (requests: number, errors: number): ErrorWindow => ({ requests, errors });
const keep = (window: ErrorWindow): HealthDecision => ({ action: 'keep', window });
const replace = (reason: string, window: ErrorWindow): HealthDecision => ({ action: 'replace', reason, window });

interface Row {
  name: string;
  window: ErrorWindow;
  sample?: Partial<HealthSample>;
  policy?: { [K in keyof HealthPolicy]?: Partial<HealthPolicy[K]> };
  expected: HealthDecision;
}

function withPolicy(overrides: Row['policy'] = {}): HealthPolicy {
  return {
    errorRate: { ...policy.errorRate, ...overrides.errorRate },
    eventLoopDelay: { ...policy.eventLoopDelay, ...overrides.eventLoopDelay },
    heap: { ...policy.heap, ...overrides.heap },
  };
}

describe('healthDecision (error window, last report, policy → keep or replace, and the window to keep)', () => {
  it.each<Row>([
    { name: 'a healthy worker is kept; its judged window starts again', window: w(150, 2), expected: keep(EMPTY_WINDOW) },
    { name: 'fewer than minRequests are not judged, and kept as they are', window: w(99, 99), expected: keep(w(99, 99)) },
    {
      name: 'exactly minRequests are judged: above the threshold replaces',
      window: w(100, 11),
      expected: replace('error rate 11.0 % > 10.0 %', EMPTY_WINDOW),
    },
    { name: 'a rate exactly at the threshold is kept (and the window judged)', window: w(100, 10), expected: keep(EMPTY_WINDOW) },
    {
      name: 'a threshold of 0 replaces on any error',
      window: w(100, 1),
      policy: { errorRate: { threshold: 0 } },
      expected: replace('error rate 1.0 % > 0.0 %', EMPTY_WINDOW),
    },
    {
      name: 'a threshold of 1 never replaces, even when everything fails',
      window: w(100, 100),
      policy: { errorRate: { threshold: 1 } },
      expected: keep(EMPTY_WINDOW),
    },
    {
      name: 'error-rate policy off: every request failing is kept, and nothing accumulates',
      window: w(10_000, 10_000),
      policy: { errorRate: { enabled: false } },
      expected: keep(EMPTY_WINDOW),
    },
    {
      name: 'event-loop delay p99 exactly at the threshold is kept',
      window: w(0, 0),
      sample: { eldP99Ms: 2_000 },
      expected: keep(w(0, 0)),
    },
    {
      name: 'event-loop delay p99 above it replaces',
      window: w(0, 0),
      sample: { eldP99Ms: 2_501 },
      expected: replace('event-loop delay p99 2501 ms > 2000 ms', w(0, 0)),
    },
    {
      name: 'event-loop delay policy off: a 10 s block is kept',
      window: w(0, 0),
      sample: { eldP99Ms: 10_000 },
      policy: { eventLoopDelay: { enabled: false } },
      expected: keep(w(0, 0)),
    },
    { name: 'heap exactly at the limit is kept', window: w(0, 0), sample: { heapUsedMb: 1_024 }, expected: keep(w(0, 0)) },
    {
      name: 'heap above the limit replaces',
      window: w(0, 0),
      sample: { heapUsedMb: 1_300.4 },
      expected: replace('heap 1300 MB > 1024 MB', w(0, 0)),
    },
    {
      name: 'heap policy off: a large heap is kept',
      window: w(0, 0),
      sample: { heapUsedMb: 60_000 },
      policy: { heap: { enabled: false } },
      expected: keep(w(0, 0)),
    },
    {
      name: 'all three failing: the error rate names the reason',
      window: w(200, 200),
      sample: { eldP99Ms: 5_000, heapUsedMb: 5_000 },
      expected: replace('error rate 100.0 % > 10.0 %', EMPTY_WINDOW),
    },
    {
      name: 'delay and heap failing: the delay names the reason',
      window: w(10, 0),
      sample: { eldP99Ms: 5_000, heapUsedMb: 5_000 },
      expected: replace('event-loop delay p99 5000 ms > 2000 ms', w(10, 0)),
    },
    {
      name: 'a judged, healthy error window still starts again when the heap replaces the worker',
      window: w(100, 0),
      sample: { heapUsedMb: 2_000 },
      expected: replace('heap 2000 MB > 1024 MB', EMPTY_WINDOW),
    },
    {
      name: 'a window not judged yet is kept when the delay replaces the worker',
      window: w(50, 50),
      sample: { eldP99Ms: 3_000 },
      expected: replace('event-loop delay p99 3000 ms > 2000 ms', w(50, 50)),
    },
  ])('$name', (row) => {
    const before = structuredClone(row.window);
    const window = Object.freeze(row.window);
    const decision = healthDecision(window, Object.freeze({ ...healthy, ...row.sample }), withPolicy(row.policy));
    expect(decision).toEqual(row.expected);
    expect(row.window).toEqual(before);
  });

  /** Feeds metrics reports through the decision as the supervisor does: each adds to the window it kept. */
  function replay(reports: [requests: number, errors: number][], p: HealthPolicy['errorRate'] = policy.errorRate): HealthDecision[] {
    let window = EMPTY_WINDOW;
    return reports.map(([requests, errors]) => {
      const decision = errorRateDecision(w(window.requests + requests, window.errors + errors), p);
      window = decision.window;
      return decision;
    });
  }

  it('errors spread over reports too small to judge on their own are judged together', () => {
    expect(replay([[60, 30], [60, 0]]).map((d) => d.action)).toEqual(['keep', 'replace']);
  });

  it('a recovered worker: requests already judged healthy neither dilute nor excuse the errors that follow', () => {
    const decisions = replay([
      [1_000, 5], // judged: 0.5 %, kept; the window starts again
      [50, 50], // 50 requests, not judged yet
      [50, 0], // 100 requests, 50 % failed
    ]);
    expect(decisions).toEqual([keep(EMPTY_WINDOW), keep(w(50, 50)), replace('error rate 50.0 % > 10.0 %', EMPTY_WINDOW)]);
  });

  it('a flapping worker (bad report, good report, ...) is judged per window of minRequests, not per report', () => {
    const decisions = replay([
      [50, 10],
      [50, 0], // 10 % of 100: at the threshold, kept
      [50, 0],
      [50, 11], // 11 % of 100: replaced
    ]);
    expect(decisions.map((d) => d.action)).toEqual(['keep', 'keep', 'keep', 'replace']);
    expect(decisions.map((d) => d.window)).toEqual([w(50, 10), EMPTY_WINDOW, w(50, 0), EMPTY_WINDOW]);
  });
});
