import { describe, expect, it } from 'vitest';
import { normalizeQuery } from '../src/main/engine/kinds/db/normalize.js';
import { QueryStatsCollector } from '../src/main/engine/kinds/db/query-stats.js';

describe('the slow-query log', () => {
  it('is grouped by statement: count, p95, max, when the latest was and how many failed, the most frequent first', () => {
    const stats = new QueryStatsCollector({ slowQueryMs: 10, slowLogSize: 3 });
    const point = normalizeQuery('SELECT * FROM items WHERE id = $1');
    const scan = normalizeQuery('SELECT * FROM items WHERE id >= $1 LIMIT $2');
    for (const ms of [12, 15, 40, 11, 5]) stats.record(point, ms, 1, false);
    stats.record(scan, 90, 10, true);
    stats.record(scan, 3, 10, false);

    const table = stats.slowTable();
    expect(table.columns).toEqual(['hash', 'query', 'count', 'p95 ms', 'max ms', 'last seen s', 'failed']);
    expect(table.rows).toHaveLength(2);
    const [first, second] = table.rows;
    expect(first!.slice(0, 3)).toEqual([point.hash, point.text, 4]);
    expect(first![3]).toBeCloseTo(40, 0);
    expect(first![4]).toBe(40);
    expect(first![6]).toBe(0);
    expect(second!.slice(0, 3)).toEqual([scan.hash, scan.text, 1]);
    expect(second![4]).toBe(90);
    expect(second![6]).toBe(1);
    expect(typeof first![5]).toBe('number');
    // The log itself keeps only the latest entries; the groups count every slow query of the run.
    expect(stats.slowLog()).toHaveLength(3);
  });
});
