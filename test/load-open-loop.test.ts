import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

/** Answers one request at a time, each after 50 ms: at most 20 requests/s. */
function serialServer(): http.RequestListener {
  let busyUntil = 0;
  return (_request, response) => {
    const now = Date.now();
    busyUntil = Math.max(busyUntil, now) + 50;
    setTimeout(() => response.end('ok'), busyUntil - now);
  };
}

describe('open-loop load generator', () => {
  const targets = httpTargets();

  it('holds the requested rate on a server that keeps up', async () => {
    const { url } = await targets.start((_request, response) => response.end('ok'));
    // 3 s: a timer a few tens of ms late at either end of the window moves the rate by 1–2 %, well inside ±10 %.
    const result = await generate(url, { mode: 'open', rate: 200, connections: 4, durationSec: 3, warmupSec: 0.2 });
    expect(result.requestedRate).toBe(200);
    expect(result.rps / 200).toBeGreaterThan(0.9);
    expect(result.rps / 200).toBeLessThan(1.1);
    expect(result.errors).toMatchObject({ non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 });
  });

  it('measures latency from the intended send time, so a stalled server shows its queueing delay', async () => {
    const { url: closedUrl } = await targets.start(serialServer());
    const closed = await generate(closedUrl, { mode: 'closed', connections: 1, durationSec: 1, warmupSec: 0 });
    const { url: openUrl } = await targets.start(serialServer());
    const open = await generate(openUrl, { mode: 'open', rate: 40, connections: 1, durationSec: 1.5, warmupSec: 0 });

    // Closed loop waits politely: a request sees only its own 50 ms (the median: with 20 requests p99 is the one a busy
    // machine happened to stall).
    expect(closed.latencyMs.p50).toBeLessThan(100);
    // Open loop keeps arriving at 40/s into a 20/s server: the backlog shows up as latency.
    expect(open.latencyMs.p99).toBeGreaterThan(400);
    expect(open.rps).toBeLessThan(30);
    // The server, not the generator, fell behind.
    expect(open.generatorLimitedReasons.filter((reason) => reason.startsWith('could not send'))).toEqual([]);
  });
});
