import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costliestNode, readExplainJson, type PlanNode } from '../src/shared/query-plan.js';
import type { RunRecord } from '../src/shared/run-record.js';
import { connectClient } from '../src/main/engine/postgres/connection.js';
import { startTestEngine } from './fixtures/embedded-db.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;

beforeAll(async () => {
  started = await startTestEngine('db-explain');
});
afterAll(async () => {
  await started?.dispose();
});

async function run(workload: Record<string, unknown>): Promise<RunRecord> {
  const { runId } = await started.engine.call('runs.start', {
    spec: { kind: 'db', workload, operations: 40, concurrency: 2, durationSec: 5 },
  });
  return (await started.engine.runs.wait(runId)) ?? (await started.engine.call('runs.get', { runId })).run;
}

function hashOf(record: RunRecord, needle: string): string {
  const table = record.tables!.queryStats!;
  const row = table.rows.find((candidate) => String(candidate[table.columns.indexOf('query')]).includes(needle));
  return String(row![table.columns.indexOf('hash')]);
}

function walk(node: PlanNode): PlanNode[] {
  return [node, ...node.children.flatMap(walk)];
}

describe('query plans of a db run', () => {
  it('runs EXPLAIN (ANALYZE, BUFFERS) of a workload statement on the embedded server with sample values, as a tree with the costliest node', async () => {
    const record = await run({ type: 'rangeScan', rows: 2_000, limit: 50 });
    expect(record.status).toBe('completed');
    const explained = await started.engine.call('db.explain', { runId: record.id, hash: hashOf(record, 'ORDER BY id') });
    expect(explained.command).toBe('EXPLAIN (ANALYZE, BUFFERS)');
    expect(explained.values).toEqual([expect.stringMatching(/^\$1 = \d+$/), '$2 = 50']);
    const { plan } = explained;
    expect(plan.analyzed).toBe(true);
    expect(plan.executionMs).toBeGreaterThan(0);
    const nodes = walk(plan.root);
    expect(nodes.map((node) => node.nodeType)).toContain('Limit');
    const scan = nodes.find((node) => node.relation === 'items');
    expect(scan?.nodeType).toMatch(/Index/);
    expect(scan?.actualRows).toBeGreaterThan(0);
    expect(scan?.buffers).toBeDefined();
    expect(plan.costliest.by).toBe('self time');
    expect(nodes.some((node) => node.id === plan.costliest.id)).toBe(true);
  });

  it('rolls back what it ran (an INSERT leaves no row) and runs your SQL as the restricted role, read only', async () => {
    const insert = await run({ type: 'insert', payloadBytes: 16 });
    const before = (await started.engine.call('db.run.tables', { runId: insert.id })).tables;
    expect(before.queryStats).toBeDefined();
    const explained = await started.engine.call('db.explain', { runId: insert.id, hash: hashOf(insert, 'INSERT INTO') });
    expect(walk(explained.plan.root)[0]!.nodeType).toBe('ModifyTable');
    const client = await connectClient(await started.engine.db.resolve('embedded'), 5_000);
    try {
      const { rows } = await client.query<{ count: string }>('SELECT count(*) AS count FROM tunebench.events');
      expect(Number(rows[0]!.count)).toBe(insert.summary.operations!.value);
    } finally {
      await client.end();
    }

    const mine = await run({ type: 'userQuery', sql: 'SELECT count(*) FROM tunebench.items WHERE value > $1', params: [10] });
    const plan = await started.engine.call('db.explain', { runId: mine.id, hash: hashOf(mine, 'count(*)') });
    expect(plan.role).toContain('restricted');
    expect(plan.values).toEqual(['$1 = 10']);
    expect(plan.plan.analyzed).toBe(true);
  });

  it('refuses a statement the run did not send', async () => {
    const record = await run({ type: 'pointSelect', rows: 500 });
    await expect(started.engine.call('db.explain', { runId: record.id, hash: 'feedfeedfeed' })).rejects.toThrow(/no statement feedfeedfeed/);
  });
});

describe('reading an EXPLAIN (FORMAT JSON) result', () => {
  const json = [
    {
      Plan: {
        'Node Type': 'Hash Join',
        'Join Type': 'Inner',
        'Startup Cost': 10,
        'Total Cost': 100,
        'Plan Rows': 50,
        'Actual Total Time': 9,
        'Actual Rows': 40,
        'Actual Loops': 1,
        'Hash Cond': '(a.id = b.a_id)',
        'Shared Hit Blocks': 12,
        'Shared Read Blocks': 3,
        Plans: [
          { 'Node Type': 'Seq Scan', 'Relation Name': 'a', Schema: 'public', 'Total Cost': 30, 'Plan Rows': 1000, 'Actual Total Time': 2, 'Actual Rows': 1000, 'Actual Loops': 1, Filter: '(x > 1)', 'Rows Removed by Filter': 5 },
          {
            'Node Type': 'Hash',
            'Total Cost': 60,
            'Plan Rows': 10,
            'Actual Total Time': 6,
            'Actual Rows': 10,
            'Actual Loops': 1,
            Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'b', 'Index Name': 'b_pkey', 'Total Cost': 55, 'Plan Rows': 10, 'Actual Total Time': 0.5, 'Actual Rows': 10, 'Actual Loops': 2 }],
          },
        ],
      },
      'Planning Time': 0.2,
      'Execution Time': 9.5,
    },
  ];

  it('works out each node\'s own time and cost and marks the costliest', () => {
    const plan = readExplainJson(json);
    expect(plan.nodes).toBe(4);
    expect(plan.analyzed).toBe(true);
    expect(plan.executionMs).toBe(9.5);
    const [join, scan, hash, index] = walk(plan.root);
    expect(scan).toMatchObject({ relation: 'public.a', selfMs: 2, details: [{ label: 'Filter', value: '(x > 1)' }, { label: 'Rows Removed by Filter', value: '5' }] });
    expect(index).toMatchObject({ index: 'b_pkey', totalMs: 1, selfMs: 1 });
    expect(hash!.selfMs).toBe(5);
    expect(join).toMatchObject({ selfMs: 1, selfCost: 10, buffers: { sharedHit: 12, sharedRead: 3 } });
    expect(plan.costliest).toEqual({ id: hash!.id, by: 'self time' });
  });

  it('marks the costliest by its own estimated cost when the statement only was planned', () => {
    const planned = JSON.parse(JSON.stringify(json), (key, value: unknown) => (key.startsWith('Actual') ? undefined : value)) as unknown;
    const plan = readExplainJson(planned);
    expect(plan.analyzed).toBe(false);
    expect(costliestNode(plan.root, false).nodeType).toBe('Index Scan');
    expect(plan.costliest.by).toBe('self cost');
  });

  it('refuses what is not an EXPLAIN result', () => {
    expect(() => readExplainJson({ rows: [] })).toThrow(/no "Plan"/);
  });
});
