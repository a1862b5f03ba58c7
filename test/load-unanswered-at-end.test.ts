import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

describe('requests still unsent or unanswered when a run ends', () => {
  const targets = httpTargets();

  it('are unfinished, not timeouts, and in the percentiles at their censored latency', async () => {
    // Never answers; the timeout outlasts the run and its final drain (2 s), so only the end of the run gives up on them.
    const { url } = await targets.start(() => {});
    const result = await generate(url, { connections: 3, durationSec: 0.3, warmupSec: 0, timeoutMs: 5_000 });
    expect(result.requests).toBe(0);
    expect(result.errors).toEqual({ non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 });
    expect(result.unfinished).toEqual({ unsent: 0, unanswered: 3 });
    // Censored at the moment the run gave up: at least the 2 s final drain after they were sent.
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(2_000);
  });

  it('open loop: arrivals still waiting for a connection are unfinished (unsent), not dropped, and the worst requests stay in the percentiles', async () => {
    // Answers after 300 ms; two connections carry about 7 requests/s of the 50 asked.
    const slow: http.RequestListener = (_request, response) => setTimeout(() => response.end('ok'), 300);
    const { url } = await targets.start(slow);
    const result = await generate(url, { mode: 'open', rate: 50, connections: 2, durationSec: 1, warmupSec: 0, timeoutMs: 10_000 });
    expect(result.dropped).toBe(0);
    expect(result.errors.other).toBe(0);
    expect(result.unfinished.unsent).toBeGreaterThan(10);
    const unfinished = result.unfinished.unsent + result.unfinished.unanswered;
    // Most arrivals never got an answer: the median is one of them, at least the drain's 2 s after the window.
    expect(unfinished).toBeGreaterThan(result.requests);
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(2_000);
    expect(result.limitedBy, JSON.stringify(result.limitedBy)).toHaveLength(1);
    expect(result.limitedBy.map((limit) => limit.cause)).toEqual(['connections']);
    expect(result.generatorLimitedReasons).toEqual([]);
  });
});
