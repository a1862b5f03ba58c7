import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  NO_CRASHES,
  restartDecision,
  type RestartDecision,
  type RestartHistory,
  type RestartPolicy,
} from '../src/workers/cluster/policies.js';

/** The schema's defaults, with a crash loop at more than 3 crashes in a minute. */
const policy: RestartPolicy = {
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  stableAfterMs: 30_000,
  crashLoopCount: 3,
  crashLoopWindowMs: 60_000,
};

const T = 1_000_000;
const history = (streak: number, ...crashTimes: number[]): RestartHistory => ({ crashTimes, streak });
const restart = (delayMs: number, next: RestartHistory): RestartDecision => ({ action: 'restart', delayMs, history: next });

interface Row {
  name: string;
  history: RestartHistory;
  /** When the crashed worker began listening; undefined: it never did. */
  listeningAt: number | undefined;
  now: number;
  policy?: Partial<RestartPolicy>;
  expected: RestartDecision;
}

describe('restartDecision (history of a slot, the crashed worker, now, policy → restart after a delay, or crash loop)', () => {
  it.each<Row>([
    {
      name: 'a first crash, while starting, waits the initial backoff',
      history: NO_CRASHES,
      listeningAt: undefined,
      now: T,
      expected: restart(100, history(1, T)),
    },
    {
      name: 'a second crash soon after waits twice as long',
      history: history(1, T),
      listeningAt: T + 200,
      now: T + 1_000,
      expected: restart(200, history(2, T, T + 1_000)),
    },
    {
      name: 'a third doubles again',
      history: history(2, T, T + 1_000),
      listeningAt: T + 1_500,
      now: T + 2_000,
      expected: restart(400, history(3, T, T + 1_000, T + 2_000)),
    },
    {
      name: 'the backoff stops at the cap (100 · 2^4 = 1600 > 1000)',
      history: history(4),
      listeningAt: T - 10,
      now: T,
      expected: restart(1_000, history(5, T)),
    },
    {
      name: 'a streak long past the cap stays at the cap (no Infinity, no NaN)',
      history: history(100_000),
      listeningAt: T - 10,
      now: T,
      expected: restart(1_000, history(100_001, T)),
    },
    {
      name: 'a cap below the initial backoff caps the first delay too',
      history: NO_CRASHES,
      listeningAt: undefined,
      now: T,
      policy: { initialBackoffMs: 500, maxBackoffMs: 200 },
      expected: restart(200, history(1, T)),
    },
    {
      name: 'a recovered worker (listened exactly stableAfterMs) starts the streak again',
      history: history(5),
      listeningAt: T - 30_000,
      now: T,
      expected: restart(100, history(1, T)),
    },
    {
      name: 'one millisecond short of stable keeps the streak',
      history: history(5),
      listeningAt: T - 29_999,
      now: T,
      expected: restart(1_000, history(6, T)),
    },
    {
      name: 'a worker that never listened keeps the streak, however long ago the slot last crashed',
      history: history(3, T - 120_000),
      listeningAt: undefined,
      now: T,
      expected: restart(800, history(4, T)),
    },
    {
      name: 'crashLoopCount crashes inside the window are still restarted',
      history: history(2, T - 20_000, T - 10_000),
      listeningAt: T - 5_000,
      now: T,
      expected: restart(400, history(3, T - 20_000, T - 10_000, T)),
    },
    {
      name: 'one more than crashLoopCount inside the window is a crash loop',
      history: history(3, T - 30_000, T - 20_000, T - 10_000),
      listeningAt: T - 5_000,
      now: T,
      expected: {
        action: 'crash-loop',
        reason: 'crashed 4 times in 60 s',
        crashes: 4,
        history: history(4, T - 30_000, T - 20_000, T - 10_000, T),
      },
    },
    {
      name: 'a crash exactly crashLoopWindowMs old has left the window (and the history)',
      history: history(3, T - 60_000, T - 20_000, T - 10_000),
      listeningAt: T - 5_000,
      now: T,
      expected: restart(800, history(4, T - 20_000, T - 10_000, T)),
    },
    {
      name: 'one millisecond younger it is inside: crash loop',
      history: history(3, T - 59_999, T - 20_000, T - 10_000),
      listeningAt: T - 5_000,
      now: T,
      expected: {
        action: 'crash-loop',
        reason: 'crashed 4 times in 60 s',
        crashes: 4,
        history: history(4, T - 59_999, T - 20_000, T - 10_000, T),
      },
    },
    {
      name: 'a stable run resets the backoff, not the crashes counted in the window',
      history: history(3, T - 45_000, T - 44_000, T - 43_000),
      listeningAt: T - 40_000,
      now: T,
      expected: {
        action: 'crash-loop',
        reason: 'crashed 4 times in 60 s',
        crashes: 4,
        history: history(1, T - 45_000, T - 44_000, T - 43_000, T),
      },
    },
    {
      name: 'crashLoopCount 1: the second crash in the window is a loop',
      history: history(1, T - 500),
      listeningAt: undefined,
      now: T,
      policy: { crashLoopCount: 1, crashLoopWindowMs: 1_000 },
      expected: { action: 'crash-loop', reason: 'crashed 2 times in 1 s', crashes: 2, history: history(2, T - 500, T) },
    },
  ])('$name', (row) => {
    const before = structuredClone(row.history);
    const decision = restartDecision(deepFreeze(row.history), { listeningAt: row.listeningAt }, row.now, { ...policy, ...row.policy });
    expect(decision).toEqual(row.expected);
    expect(row.history).toEqual(before);
  });

  /** Feeds crashes (time, when that worker began listening) through the decision as the supervisor does. */
  function replay(crashes: [at: number, listeningAt: number | undefined][], p: RestartPolicy = policy): RestartDecision[] {
    let state = NO_CRASHES;
    return crashes.map(([at, listeningAt]) => {
      const decision = restartDecision(state, { listeningAt }, at, p);
      state = decision.history;
      return decision;
    });
  }
  const summary = (d: RestartDecision) => (d.action === 'restart' ? d.delayMs : d.action);

  it('a flapping worker (up 19 s, down, every 20 s) is never a crash loop, its backoff grows to the cap and its history stays bounded', () => {
    const crashes = Array.from({ length: 12 }, (_, i): [number, number] => [T + i * 20_000, T + i * 20_000 - 19_000]);
    const decisions = replay(crashes);
    expect(decisions.map(summary)).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
    expect(decisions.at(-1)!.history.crashTimes).toHaveLength(3);
  });

  it('flapping a little faster (every 15 s) puts a fourth crash inside the minute: crash loop', () => {
    const crashes = Array.from({ length: 4 }, (_, i): [number, number] => [T + i * 15_000, T + i * 15_000 - 14_000]);
    expect(replay(crashes).map(summary)).toEqual([100, 200, 400, 'crash-loop']);
  });

  it('a worker that recovers (runs stably once) starts its backoff again; the next quick crash doubles from there', () => {
    const decisions = replay([
      [T, undefined],
      [T + 1_000, T + 500],
      [T + 2_000, T + 1_500],
      [T + 100_000, T + 2_500], // ran 97.5 s
      [T + 101_000, T + 100_500],
    ]);
    expect(decisions.map(summary)).toEqual([100, 200, 400, 100, 200]);
    expect(decisions.at(-1)!.history).toEqual(history(2, T + 100_000, T + 101_000));
  });

  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [4, 1_000],
    [-1, 100],
    [Number.MAX_SAFE_INTEGER, 1_000],
  ])('backoffMs after a streak of %i is %i ms', (streak, expected) => {
    expect(backoffMs(streak, policy)).toBe(expected);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
