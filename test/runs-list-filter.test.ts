import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplePoolSpec, PoolSpecSchema } from '../src/shared/specs/pool.js';
import { filterRunList, type RunListItem, type RunRecord } from '../src/shared/run-record.js';
import { comparePair, listRows } from '../src/renderer/runs/run-list-rows.js';
import { engineFactory } from './fixtures/engine.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const engines = engineFactory();

function item(id: string, extra: Partial<RunListItem> = {}): RunListItem {
  return { id, kind: 'pool', name: `run ${id}`, status: 'completed', startedAt: `2025-01-01T00:00:0${id.length}.000Z`, durationMs: 1, headline: {}, ...extra };
}

describe('filtering the runs list', () => {
  const items = [
    item('a1', { settings: 'primes 100k · piscina · 2 threads · 20k jobs' }),
    item('b22', { kind: 'load', name: 'checkout under load', settings: 'closed loop 10 connections · 2 workers · 10 s' }),
    item('c333', { settings: 'primes 100k · simple · 4 threads · 20k jobs', sweepId: 'sweep-threads' }),
  ];
  it.each([
    [{}, ['a1', 'b22', 'c333']],
    [{ kind: 'pool' }, ['a1', 'c333']],
    [{ kind: 'load' }, ['b22']],
    [{ kind: 'db' }, []],
    [{ text: 'PISCINA' }, ['a1']],
    [{ text: 'primes threads' }, ['a1', 'c333']],
    [{ text: '4 threads' }, ['c333']],
    [{ text: 'checkout' }, ['b22']],
    [{ text: 'b22' }, ['b22']],
    [{ text: 'sweep-threads' }, ['c333']],
    [{ kind: 'load', text: 'primes' }, []],
    [{ text: '   ' }, ['a1', 'b22', 'c333']],
  ])('%j keeps %j', (filter, ids) => {
    expect(filterRunList(items, filter).map((i) => i.id)).toEqual(ids);
  });

  it('runs.list filters in the engine before paging, and lists each run with its settings and sweep', async () => {
    const dataDir = await engines.tempDir();
    const runsDir = path.join(dataDir, 'runs');
    await fs.mkdir(runsDir, { recursive: true });
    const spec = PoolSpecSchema.parse(examplePoolSpec);
    const records: RunRecord[] = Array.from({ length: 12 }, (_, i) => ({
      ...tinyRunRecord(`run-${String.fromCharCode(97 + i)}`, new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()),
      spec: { ...spec, pool: { ...spec.pool, threads: i % 2 ? 4 : 2 } },
      ...(i % 3 === 0 ? { origin: { sweepId: 'sweep-1', point: i % 2 } } : {}),
    }));
    records.push({ ...tinyRunRecord('load-run'), kind: 'load', spec: { kind: 'load' } });
    for (const record of records) await fs.writeFile(path.join(runsDir, `${record.id}.json`), JSON.stringify(record));
    const engine = await engines.open(dataDir);

    const all = await engine.call('runs.list', { limit: 500 });
    expect(all.total).toBe(13);
    const first = all.runs.find((run) => run.id === 'run-a')!;
    expect(first.settings).toBe('primes 1M · piscina · 2 threads · 2k jobs');
    expect(first).toMatchObject({ sweepId: 'sweep-1', point: 0 });
    // A spec the kind cannot name (an import of another shape) lists without settings rather than failing.
    expect(all.runs.find((run) => run.id === 'load-run')!.settings).toBeUndefined();

    const pools = await engine.call('runs.list', { kind: 'pool', text: '4 threads', limit: 2 });
    expect(pools.total).toBe(6);
    expect(pools.runs.map((run) => run.id)).toEqual(['run-l', 'run-j']);
    const next = await engine.call('runs.list', { kind: 'pool', text: '4 threads', limit: 2, offset: 2 });
    expect(next.runs.map((run) => run.id)).toEqual(['run-h', 'run-f']);
    expect((await engine.call('runs.list', { kind: 'load' })).runs.map((run) => run.id)).toEqual(['load-run']);
    expect((await engine.call('runs.list', { text: 'sweep-1' })).total).toBe(4);
  });
});

describe('the runs list page', () => {
  it('groups a sweep\'s runs under one row where its newest run stands', () => {
    const runs = [item('x'), item('s1', { sweepId: 'sw' }), item('y'), item('s2', { sweepId: 'sw' })];
    expect(listRows(runs, false).map((row) => (row.type === 'run' ? row.run.id : row.sweepId))).toEqual(['x', 's1', 'y', 's2']);
    const grouped = listRows(runs, true);
    expect(grouped.map((row) => (row.type === 'run' ? row.run.id : `${row.sweepId}:${row.runs.map((r) => r.id).join('+')}`))).toEqual([
      'x',
      'sw:s1+s2',
      'y',
    ]);
  });

  it('compares two runs of one kind, the older as baseline, and says why not otherwise', () => {
    const older = item('o', { startedAt: '2025-01-01T00:00:00.000Z' });
    const newer = item('n', { startedAt: '2025-01-02T00:00:00.000Z' });
    expect(comparePair([newer, older])).toMatchObject({ ok: true, baseline: { id: 'o' }, candidate: { id: 'n' } });
    expect(comparePair([older])).toMatchObject({ ok: false, why: 'Tick two runs to compare them.' });
    expect(comparePair([older, item('l', { kind: 'load' })])).toMatchObject({
      ok: false,
      why: 'A pool run and a load run cannot be compared: runs of different kinds measure different things.',
    });
  });
});
