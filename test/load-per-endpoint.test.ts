import { describe, expect, it } from 'vitest';
import type { LoadInterval } from '../src/shared/cluster-protocol.js';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

describe('latency per endpoint of the mix', () => {
  const targets = httpTargets();

  it('measures each entry of the mix on its own: answers, errors and latency, per interval and for the run', async () => {
    const { url } = await targets.start((request, response) => {
      if (request.url === '/slow') setTimeout(() => response.end('slow'), 20);
      else if (request.url === '/fail') response.writeHead(500).end('no');
      else response.end('fast');
    });
    const intervals: LoadInterval[] = [];
    const result = await generate(
      url,
      {
        connections: 4,
        durationSec: 60,
        requests: 600,
        warmupSec: 0,
        mix: [
          { path: '/fast', weight: 2 },
          { path: '/slow', weight: 1 },
          { path: '/fail', weight: 1 },
        ],
      },
      { interval: (interval) => intervals.push(interval) },
    );

    const [fast, slow, fail] = result.byMix!;
    expect(fast!.requests + slow!.requests + fail!.requests).toBe(result.requests);
    expect(fast!.requests).toBeGreaterThan(slow!.requests);
    expect(fail!.errors).toBe(fail!.requests);
    expect(fail!.errors).toBe(result.errors.non2xx);
    expect(fast!.errors + slow!.errors).toBe(0);
    // The slow endpoint answers after 20 ms; the fast one does not wait.
    expect(slow!.latencyMs!.p50).toBeGreaterThanOrEqual(19);
    expect(fast!.latencyMs!.p50).toBeLessThan(slow!.latencyMs!.p50);
    expect(intervals.some((interval) => (interval.byMix?.[1]?.requests ?? 0) > 0 && interval.byMix![1]!.latencyMs!.p99 >= 19)).toBe(true);
  });
});
