import { describe, expect, it } from 'vitest';
import { orderedRecordTables } from '../src/renderer/components/record-tables.js';
import type { RecordTable } from '../src/shared/run-record.js';

const table = (columns: string[], ...rows: Array<Array<string | number>>): RecordTable => ({ columns, rows });

describe("a saved run's tables", () => {
  it('lists every table of the record, the known ones first under their captions with their first sort', () => {
    const shown = orderedRecordTables({
      retryLog: table(['attempt', 'code'], [1, '40001']),
      slowQueries: table(['query', 'ms'], ['select 1', 80]),
      queryStats: table(['query', 'calls', 'total ms'], ['select a', 3, 1.5]),
    });
    expect(shown.map(({ name, caption, initialSort }) => ({ name, caption, initialSort }))).toEqual([
      { name: 'queryStats', caption: 'Query statistics', initialSort: 'total ms' },
      { name: 'slowQueries', caption: 'Slow queries by statement', initialSort: 'count' },
      { name: 'retryLog', caption: 'Retry log', initialSort: undefined },
    ]);
    expect(shown[2]!.table.rows).toEqual([[1, '40001']]);
  });

  it('lists nothing for a record without tables', () => {
    expect(orderedRecordTables(undefined)).toEqual([]);
    expect(orderedRecordTables({})).toEqual([]);
  });
});
