import { useEffect, useState } from 'react';
import type { RecordTable } from '../../shared/run-record.js';
import { useServices } from '../app/services.js';

const POLL_MS = 1_000;

/** A running db run's tables, fetched about once a second (they are too big to ride on every frame). */
export function useLiveRunTables(runId: string | undefined, running: boolean): Record<string, RecordTable> | undefined {
  const { client } = useServices();
  const [tables, setTables] = useState<Record<string, RecordTable>>();
  useEffect(() => {
    setTables(undefined);
    if (!runId || !running) return;
    let current = true;
    const fetchTables = () =>
      client.call('db.run.tables', { runId }).then(
        (result) => current && result.live && setTables(result.tables),
        () => {},
      );
    void fetchTables();
    const timer = setInterval(() => void fetchTables(), POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client, runId, running]);
  return tables;
}
