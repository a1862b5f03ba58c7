import type { RecordTable } from '../../shared/run-record.js';
import { dbTableNames } from '../../shared/specs/db.js';

export interface TablePresentation {
  caption: string;
  /** Column to sort by first (descending for numbers). */
  initialSort?: string;
  empty?: string;
}

/**
 * How the tables kinds put in a record are shown, in the order a saved run
 * lists them; a table not named here still shows, under its name.
 */
const presentations: Record<string, TablePresentation> = {
  [dbTableNames.queryStats]: { caption: 'Query statistics', initialSort: 'total ms' },
  [dbTableNames.cases]: { caption: 'Cases' },
  [dbTableNames.pgStatStatements]: { caption: 'Cross-check with pg_stat_statements' },
  [dbTableNames.slowQueries]: { caption: 'Slow queries by statement', initialSort: 'count', empty: 'No query above the threshold.' },
  errors: { caption: 'Errors', initialSort: 'count' },
};

/** "retryLog" → "Retry log", for tables this file does not know yet. */
function captionOf(name: string): string {
  const words = name.replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function recordTablePresentation(name: string): TablePresentation {
  return presentations[name] ?? { caption: captionOf(name) };
}

/** A record's tables in display order: the known ones as listed above, then the rest by name. */
export function orderedRecordTables(tables: Record<string, RecordTable> | undefined): Array<TablePresentation & { name: string; table: RecordTable }> {
  if (!tables) return [];
  const known = Object.keys(presentations).filter((name) => name in tables);
  const others = Object.keys(tables)
    .filter((name) => !(name in presentations))
    .sort();
  return [...known, ...others].map((name) => ({ name, table: tables[name]!, ...recordTablePresentation(name) }));
}
