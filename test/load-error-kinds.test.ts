import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('load generator errors by kind', () => {
  const targets = httpTargets();

  it('counts timeouts for a server that never answers', async () => {
    const { url } = await targets.start(() => {});
    const result = await generate(url, { connections: 2, durationSec: 0.6, warmupSec: 0, timeoutMs: 150 });
    expect(result.errors.timeout).toBeGreaterThanOrEqual(2);
    expect(result.requests).toBe(0);
  });

  it('counts connection resets for a server that drops the socket', async () => {
    const { url } = await targets.start((request) => request.socket.destroy());
    const result = await generate(url, { connections: 2, durationSec: 0.4, warmupSec: 0 });
    expect(result.errors.reset).toBeGreaterThan(0);
    expect(result.requests).toBe(0);
  });

  it('counts refused connections when nothing listens, without spinning', async () => {
    const result = await generate(`http://127.0.0.1:${await closedPort()}`, { connections: 2, durationSec: 0.4, warmupSec: 0 });
    expect(result.errors.refused).toBeGreaterThan(0);
    // Each connection pauses after a refusal: far fewer attempts than a busy loop would make.
    expect(result.errors.refused).toBeLessThan(200);
  });

  it('sends bodies and headers of the mix under the path of the target URL', async () => {
    const seen: string[] = [];
    const { url } = await targets.start((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers['x-test']} ${request.headers['content-type']} ${body}`);
        response.end();
      });
    });
    const result = await generate(url, {
      connections: 1,
      durationSec: 5,
      requests: 3,
      warmupSec: 0,
      mix: [{ method: 'POST', path: '/items?x=1', body: '{"a":1}', headers: { 'x-test': 'yes' } }],
    }, {}, { basePath: '/api' });
    expect(result.requests).toBeGreaterThanOrEqual(3);
    expect(seen[0]).toBe('POST /api/items?x=1 yes application/json {"a":1}');
  });
});
