import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../src/shared/cluster-protocol.js';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

/** Answers one request at a time, each after `ms`: at most 1000 / ms requests/s however many connections wait. */
function serialServer(ms: number): http.RequestListener {
  let busyUntil = 0;
  return (_request, response) => {
    const now = Date.now();
    busyUntil = Math.max(busyUntil, now) + ms;
    setTimeout(() => response.end('ok'), busyUntil - now);
  };
}

const causes = (result: LoadResult) => result.limitedBy.map((limit) => limit.cause);
const reasons = (result: LoadResult, cause: string) => result.limitedBy.find((limit) => limit.cause === cause)?.reasons.join('; ') ?? '';

describe('an open-loop run says what limited it, each cause by its own name', () => {
  const targets = httpTargets();

  it('server-limited: a target that cannot keep up, with connections to spare', async () => {
    const { url } = await targets.start(serialServer(40));
    const result = await generate(url, { mode: 'open', rate: 60, connections: 8, durationSec: 1.5, warmupSec: 0.2 });
    expect(causes(result)).toEqual(['server']);
    expect(reasons(result, 'server')).toMatch(/^the target did not keep up: its response time grew from [\d.]+ ms \(fastest\) to [\d.]+ ms \(p50\); achieved \d+ of 60 req\/s$/);
    expect(result.generatorLimited).toBe(false);
    expect(result.dropped).toBe(0);
  });

  it('connection-limited: one connection at a rate it cannot carry, the target answering in its usual time', async () => {
    // Answers each request after 20 ms, many at once: one connection carries at most about 50 requests/s. (20 ms, not
    // 5: a busy machine's late timers must not read as the target's response time growing.)
    const { url } = await targets.start((_request, response) => setTimeout(() => response.end('ok'), 20));
    // No warm-up: at 50 answers/s a warm-up's backlog would fill the measured window, leaving no measured answer to judge by.
    const result = await generate(url, { mode: 'open', rate: 500, connections: 1, durationSec: 1.5, warmupSec: 0 });
    expect(causes(result)).toEqual(['connections']);
    expect(reasons(result, 'connections')).toMatch(/^arrivals waited for a free connection \(wait p90 [\d.]+ ms, \d+ % of them found none\)/);
    expect(reasons(result, 'connections')).toContain('all 1 connections were busy');
    expect(result.openLoop!.connectionWaitP90Ms).toBeGreaterThan(100);
    expect(result.rps).toBeLessThan(400);
  });

  it('connection-limited also when a warm-up backlog fills the whole measured window', async () => {
    // 0.5 s of warm-up at 400/s is 200 arrivals, 4 s of answers at 50/s on one connection: the 1 s window answers none
    // of its own arrivals, and the target's usual response time still says the connection, not the target, held it back.
    const { url } = await targets.start((_request, response) => setTimeout(() => response.end('ok'), 20));
    const result = await generate(url, { mode: 'open', rate: 400, connections: 1, durationSec: 1, warmupSec: 0.5, timeoutMs: 500 });
    expect(result.requests).toBe(0);
    expect(causes(result)).toEqual(['connections']);
  });

  it('generator-limited: a rate beyond what its own thread can send', async () => {
    const { url } = await targets.start((_request, response) => response.end('ok'));
    const result = await generate(url, { mode: 'open', rate: 1_000_000, connections: 20, durationSec: 1, warmupSec: 0 });
    expect(causes(result)).toContain('generator');
    expect(result.generatorLimited).toBe(true);
    expect(reasons(result, 'generator')).toMatch(/could not send at 1000000 req\/s|busy \d+ % of the time|event loop lagged|arrivals dropped/);
  });

  it('nothing, on a target that keeps up', async () => {
    const { url } = await targets.start((_request, response) => response.end('ok'));
    // 2 s: a finish timer that fires a few tens of ms late on a busy machine lengthens the window by 1–2 %, not the 2 % that reads as 'server'.
    const result = await generate(url, { mode: 'open', rate: 100, connections: 4, durationSec: 2, warmupSec: 0.2 });
    expect(result.limitedBy).toEqual([]);
    expect(result.unfinished).toEqual({ unsent: 0, unanswered: 0 });
  });
});
