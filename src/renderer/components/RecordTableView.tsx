import { useMemo, useState } from 'react';
import type { RecordTable } from '../../shared/run-record.js';
import { formatNumber } from '../format.js';

/** A record table (query statistics, slow-query log ...), sortable by any column. */
export function RecordTableView({
  table,
  caption,
  initialSort,
  empty = 'No rows yet.',
}: {
  table: RecordTable | undefined;
  caption: string;
  /** Column to sort by first (descending for numbers). */
  initialSort?: string;
  empty?: string;
}) {
  const [sort, setSort] = useState<{ column: number; descending: boolean } | undefined>();
  const columns = table?.columns ?? [];
  const active = sort ?? (initialSort && columns.includes(initialSort) ? { column: columns.indexOf(initialSort), descending: true } : undefined);
  const sortColumn = active?.column;
  const descending = active?.descending ?? false;
  const rows = useMemo(() => {
    const all = [...(table?.rows ?? [])];
    if (sortColumn === undefined) return all;
    const direction = descending ? -1 : 1;
    return all.sort((a, b) => {
      const left = a[sortColumn];
      const right = b[sortColumn];
      if (typeof left === 'number' && typeof right === 'number') return (left - right) * direction;
      return String(left).localeCompare(String(right)) * direction;
    });
  }, [table, sortColumn, descending]);

  return (
    <section className="record-table" aria-label={caption}>
      <h3>
        {caption} <span className="count">({formatNumber(rows.length)})</span>
      </h3>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-label={caption}>
            <thead>
              <tr>
                {columns.map((column, index) => {
                  const sorted = active?.column === index;
                  return (
                    <th
                      key={column}
                      scope="col"
                      aria-sort={sorted ? (active.descending ? 'descending' : 'ascending') : 'none'}
                      className={typeof rows[0]?.[index] === 'number' ? 'num' : undefined}
                    >
                      <button
                        type="button"
                        className="link"
                        onClick={() => setSort({ column: index, descending: sorted ? !active.descending : true })}
                      >
                        {column}
                        {sorted ? (active.descending ? ' ▼' : ' ▲') : ''}
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <td key={index} className={typeof cell === 'number' ? 'num' : 'query-text'}>
                      {typeof cell === 'number' ? formatNumber(cell) : cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
