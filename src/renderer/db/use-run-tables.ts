import type { RecordTable } from '../../shared/run-record.js';
import { useCall } from '../app/use-call.js';

const POLL_MS = 1_000;

/** A running db run's tables, fetched about once a second (they are too big to ride on every frame). */
export function useLiveRunTables(runId: string | undefined, running: boolean): Record<string, RecordTable> | undefined {
  const { data } = useCall('db.run.tables', runId && running ? { runId } : undefined, { refreshMs: POLL_MS });
  // Once the run has ended the engine has no live tables; the page reads the saved record's.
  return data?.live ? data.tables : undefined;
}
