import type { RecordTable } from '../../shared/run-record.js';
import { orderedRecordTables } from './record-tables.js';
import { RecordTableView } from './RecordTableView.js';

/** Every table of a run record (query statistics, slow-query log, cross-check ...), each sortable. */
export function RecordTables({ tables }: { tables: Record<string, RecordTable> | undefined }) {
  const ordered = orderedRecordTables(tables);
  if (!ordered.length) return null;
  return (
    <section className="panel" aria-label="Tables">
      {ordered.map(({ name, ...view }) => (
        <RecordTableView key={name} {...view} />
      ))}
    </section>
  );
}
