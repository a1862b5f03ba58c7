import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { warnIfOversubscribed } from '../src/main/engine/kinds/guardrail.js';
import { coresWarning, specCoresWarning } from '../src/shared/guardrails.js';
import { engineFactory } from './fixtures/engine.js';
import { runToEnd, spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

describe('settings beyond the machine get a warning, not a refusal', () => {
  it.each([
    ['threads', 2, 2, undefined],
    ['threads', 1, 2, undefined],
    ['threads', 3, 2, '3 threads on 2 cores: beyond the machine'],
    ['workers', 8, 4, '8 workers on 4 cores: beyond the machine'],
    ['workers', 2, 1, '2 workers on 1 core: beyond the machine'],
    ['threads', 64, undefined, undefined],
    ['threads', Number.NaN, 2, undefined],
  ] as const)('%s: %s on %s cores → %s', (resource, count, cores, expected) => {
    const warning = coresWarning(resource, count, cores);
    if (expected === undefined) expect(warning).toBeUndefined();
    else expect(warning).toMatch(new RegExp(`^${expected}`));
  });

  it('finds the setting in a spec of each kind', () => {
    expect(specCoresWarning({ kind: 'pool', pool: { threads: 5 } }, 2)).toMatchObject({ path: 'pool.threads', resource: 'threads', count: 5 });
    expect(specCoresWarning({ kind: 'load', target: { type: 'cluster', cluster: { workers: 3 } } }, 2)).toMatchObject({
      path: 'target.cluster.workers',
      resource: 'workers',
      count: 3,
    });
    // Only a cluster the run starts has workers of its own; a URL or a standing cluster has none to judge.
    expect(specCoresWarning({ kind: 'load', target: { type: 'url', url: 'http://127.0.0.1:1' } }, 2)).toBeUndefined();
    expect(specCoresWarning({ kind: 'db', pool: { max: 50 } }, 2)).toBeUndefined();
    expect(specCoresWarning({ kind: 'pool', pool: { threads: 2 } }, 2)).toBeUndefined();
  });

  it('puts an oversubscribed event and a warning in the run', () => {
    const events: Array<{ type: string; message: string; data?: Record<string, unknown> }> = [];
    const logs: string[] = [];
    const sink = { event: (type: string, message: string, data?: Record<string, unknown>) => events.push({ type, message, ...(data ? { data } : {}) }), log: (_: string, message: string) => logs.push(message) };
    warnIfOversubscribed({ kind: 'pool', pool: { threads: 4 } }, sink, 2);
    expect(events).toEqual([{ type: 'oversubscribed', message: expect.stringMatching(/^4 threads on 2 cores/), data: { setting: 'pool.threads', threads: 4, cores: 2 } }]);
    expect(logs).toHaveLength(1);
    warnIfOversubscribed({ kind: 'pool', pool: { threads: 2 } }, sink, 2);
    expect(events).toHaveLength(1);
  });

  it('a pool run with more threads than cores runs, with the warning on its timeline', async () => {
    const engine = await engines.open(await engines.tempDir());
    const threads = os.cpus().length + 1;
    const record = await runToEnd(engine, spinSpec(threads, 20));
    expect(record.status).toBe('completed');
    const event = record.events.find((e) => e.type === 'oversubscribed');
    expect(event?.message).toMatch(new RegExp(`^${threads} threads on ${os.cpus().length} cores`));
    expect((await engine.call('app.info', {})).cpuCount).toBe(os.cpus().length);
  });
});
