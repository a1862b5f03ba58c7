import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

describe('keep-alive connections the server closes while idle', () => {
  const targets = httpTargets();

  it('are replaced by fresh ones, without an error and without losing a request', async () => {
    let opened = 0;
    let received = 0;
    const lastAnswer = new WeakMap<Socket, number>();
    // Answers with keep-alive, then closes the connection after 20 ms idle (a keep-alive timeout,
    // made explicit: Node adds a second to its own), long before the next arrival 100 ms later.
    const { url, server } = await targets.start((request, response) => {
      received++;
      const socket = request.socket;
      response.end('ok', () => {
        const answered = received;
        lastAnswer.set(socket, answered);
        setTimeout(() => lastAnswer.get(socket) === answered && socket.end(), 20);
      });
    });
    server.on('connection', (_socket: Socket) => opened++);

    const result = await generate(url, { mode: 'open', rate: 10, connections: 1, durationSec: 1, warmupSec: 0 });

    expect(result.errors).toEqual({ non2xx: 0, timeout: 0, reset: 0, refused: 0, other: 0 });
    expect(result.requests).toBe(received);
    expect(result.requests).toBeGreaterThanOrEqual(9);
    // The server did close them: nearly every request came on a connection of its own.
    expect(opened).toBeGreaterThan(result.requests / 2);
  });
});
