import { describe, expect, it } from 'vitest';
import type { LoadInterval } from '../src/shared/cluster-protocol.js';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

describe('closed-loop load generator', () => {
  const targets = httpTargets();

  it('counts every answered request once, by status, following the weighted mix', async () => {
    const served = { ok: 0, fail: 0 };
    const { url } = await targets.start((request, response) => {
      if (request.url === '/fail') {
        served.fail++;
        response.writeHead(500).end('no');
      } else {
        served.ok++;
        response.end('ok');
      }
    });
    const intervals: LoadInterval[] = [];
    const result = await generate(
      url,
      {
        connections: 4,
        durationSec: 60,
        requests: 2_000,
        warmupSec: 0,
        mix: [
          { path: '/ok', weight: 3 },
          { path: '/fail', weight: 1 },
        ],
      },
      { interval: (interval) => intervals.push(interval) },
    );

    expect(result.mode).toBe('closed');
    expect(result.requests).toBeGreaterThanOrEqual(2_000);
    // At most the requests still in flight when the count was reached were answered beyond it.
    expect(served.ok + served.fail - result.requests).toBeLessThanOrEqual(4);
    expect(result.statusCodes['500']).toBe(result.errors.non2xx);
    expect(result.statusCodes['200']! + result.statusCodes['500']!).toBe(result.requests);
    const failShare = result.errors.non2xx / result.requests;
    expect(failShare).toBeGreaterThan(0.18);
    expect(failShare).toBeLessThan(0.32);
    expect(result.errors).toMatchObject({ timeout: 0, reset: 0, refused: 0, other: 0 });
    const { p50, p90, p99, p999, max } = result.latencyMs;
    expect(p50).toBeGreaterThan(0);
    expect(p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max).toBe(true);
    expect(result.cpuUsPerRequest).toBeGreaterThan(0);
    expect(result.latencySample.length).toBe(Math.min(result.requests, 5_000));
    expect(intervals.at(-1)!.phase).toBe('measure');
    // Intervals cover the window up to the 2,000th answer; the few answers drained after it belong to no interval.
    expect(intervals.reduce((sum, i) => sum + i.requests, 0)).toBe(2_000);
  });

  it('leaves the warm-up out of the results', async () => {
    let served = 0;
    const { url } = await targets.start((_request, response) => {
      served++;
      response.end('ok');
    });
    const intervals: LoadInterval[] = [];
    const result = await generate(url, { connections: 2, durationSec: 0.6, warmupSec: 0.5 }, { interval: (interval) => intervals.push(interval) });
    expect(intervals.some((i) => i.phase === 'warmup' && i.requests > 0)).toBe(true);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBeLessThan(served);
    // The measured 0.6 s, not the 1.1 s with the warm-up; the upper bound leaves room for a busy machine's late timers.
    expect(result.durationMs).toBeGreaterThan(550);
    expect(result.durationMs).toBeLessThan(1_000);
  });
});
