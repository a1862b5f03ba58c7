import { describe, expect, it } from 'vitest';
import { clusterFactory } from './fixtures/cluster.js';

describe('test-server endpoints', () => {
  const clusters = clusterFactory();

  it('answer the experiment endpoints and refuse bad input with a JSON 4xx naming the problem', async () => {
    const cluster = await clusters.start({ workers: 1 });
    const get = async (path: string, init?: RequestInit) => {
      const response = await fetch(cluster.address + path, init);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    expect(await get('/health')).toMatchObject({ status: 200, body: { ok: true, slot: 0 } });
    expect((await get('/cpu?iterations=1000')).status).toBe(200);
    expect((await get('/io?ms=5')).body).toMatchObject({ requestedMs: 5 });
    expect((await get('/fibonacci/20')).body).toEqual({ value: 6765 });
    expect((await get('/primes/100')).body).toEqual({ count: 25, largest: 97 });
    const product = await get('/matrix-multiply', { method: 'POST', body: JSON.stringify({ size: 4, seed: 3 }) });
    expect(product).toMatchObject({ status: 200, body: { size: 4 } });
    expect((await get('/memory?mb=1&retain=true')).body).toEqual({ allocatedMb: 1, retainedMb: 1 });
    expect((await get('/memory', { method: 'DELETE' })).body).toEqual({ releasedMb: 1 });
    expect((await get('/pool-status')).body).toMatchObject({ offload: true, threads: 1 });
    expect(await get('/error')).toMatchObject({ status: 500, body: { error: 'failed on request (status 500)', slot: 0 } });
    expect((await get('/error?status=503&slot=0')).status).toBe(503);
    // Failing on another worker's slot only: this one answers normally.
    expect(await get('/error?slot=1')).toMatchObject({ status: 200, body: { ok: true, slot: 0 } });

    const bad = [
      ['/cpu?iterations=abc', /iterations.*integer/],
      ['/cpu?iterations=-5', /iterations/],
      ['/cpu?iterations=999999999999', /iterations/],
      ['/memory?mb=100000', /"mb"/],
      ['/memory?mb=1&retain=maybe', /retain/],
      ['/io?ms=1e9', /"ms"/],
      ['/fibonacci/99', /"n".*0 to 40/],
      ['/fibonacci/x', /"n"/],
      ['/primes/1', /limit/],
      ['/error?status=200', /"status" must be an integer from 400 to 599/],
      ['/error?slot=x', /"slot"/],
    ] as const;
    for (const [path, message] of bad) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(String(body.error), path).toMatch(message);
    }
    const notJson = await get('/matrix-multiply', { method: 'POST', body: '{nope' });
    expect(notJson).toMatchObject({ status: 400, body: { error: 'request body must be JSON' } });
    const tooBig = await get('/matrix-multiply', { method: 'POST', body: JSON.stringify({ size: 4, pad: 'x'.repeat(70_000) }) });
    expect(tooBig.status).toBe(413);
    expect((await get('/matrix-multiply', { method: 'POST', body: JSON.stringify({ size: 'big' }) })).status).toBe(400);
    expect((await get('/nowhere')).status).toBe(404);
    expect((await get('/health', { method: 'POST' })).status).toBe(405);

    // Nothing above crashed the worker.
    expect(cluster.workers.every((worker) => worker.restarts === 0)).toBe(true);
    expect(await get('/health')).toMatchObject({ status: 200 });
  });

  it('runs the compute endpoints on the event loop when offload is off', async () => {
    const cluster = await clusters.start({ workers: 1, offload: false });
    const status = await (await fetch(`${cluster.address}/pool-status`)).json();
    expect(status).toMatchObject({ offload: false, threads: 0 });
    const fib = await (await fetch(`${cluster.address}/fibonacci/10`)).json();
    expect(fib).toEqual({ value: 55 });
  });
});
