import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clusterFactory } from './fixtures/cluster.js';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

const NO_ERRORS = { non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 };

describe('requests in flight when the server dies', () => {
  const targets = httpTargets();
  const clusters = clusterFactory();

  it('are each counted once as a reset, and never sent again', async () => {
    const connections = 4;
    const sockets = new Set<Socket>();
    let received = 0;
    let held = 0;
    // Answers 40 requests, then holds each connection's next one and drops every socket at once,
    // as a killed process would; what comes after is answered again.
    const { url, server } = await targets.start((_request, response) => {
      received++;
      if (received > 40 && held < connections) {
        if (++held === connections) for (const socket of sockets) socket.destroy();
        return;
      }
      response.end('ok');
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });

    const result = await generate(url, { connections, durationSec: 20, requests: 120, warmupSec: 0 });

    expect(result.errors).toEqual({ ...NO_ERRORS, reset: connections });
    // Every request the server saw was either answered or counted as a reset: none was resent behind the count.
    expect(received).toBe(result.requests + result.errors.reset);
    expect(result.requests).toBeGreaterThanOrEqual(120);
  });

  it('show as resets when a cluster worker is killed with -9 under load', async () => {
    const cluster = await clusters.start({ workers: 2 });
    const connections = 8;
    let kill: Promise<string> | undefined;
    const result = await generate(
      cluster.address,
      // Each request waits ~20 ms in the server, so every connection always has one in flight there.
      { connections, durationSec: 1.2, warmupSec: 0, mix: [{ path: '/io?ms=20' }] },
      { measuring: () => setTimeout(() => (kill = cluster.fault({ action: 'kill', slot: 0 })), 400) },
    );
    expect(await kill).toMatch(/kill -9 worker 0/);

    // One failure per connection the dead worker held, and nothing else went wrong.
    expect(result.errors.reset).toBeGreaterThanOrEqual(1);
    expect(result.errors.reset).toBeLessThanOrEqual(connections);
    expect(result.errors).toEqual({ ...NO_ERRORS, reset: result.errors.reset });
    // Every answer named its worker; the killed one served part of the load before it died.
    expect(result.byWorker['0']).toBeGreaterThan(0);
    expect(result.byWorker['0']! + result.byWorker['1']!).toBe(result.requests);
  });
});
