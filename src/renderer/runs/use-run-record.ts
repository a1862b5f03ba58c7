import { startTransition, useEffect, useState } from 'react';
import type { RunRecord } from '../../shared/run-record.js';
import { useConnectionEpoch, useServices } from '../app/services.js';
import { errorOf } from '../components/ErrorNote.js';
import { CHART_VIEW } from './run-views.js';

export interface RunRecordState {
  /** A display view of the record (CHART_VIEW): series cut for drawing, distributions without values. */
  record: RunRecord | undefined;
  error: { code?: string; message: string } | undefined;
  loading: boolean;
  /** Set when the run finished but the data directory refused its record: it lives in the engine's memory. */
  unsaved?: { reason: string };
  /** Loads it again (after it was saved, say). */
  reload: () => void;
}

/** Loads a saved run's display view; `runId` undefined means "nothing to load yet" (e.g. still running). */
export function useRunRecord(runId: string | undefined): RunRecordState {
  const { client } = useServices();
  const epoch = useConnectionEpoch();
  const [reloads, setReloads] = useState(0);
  const [state, setState] = useState<Omit<RunRecordState, 'reload'>>({ record: undefined, error: undefined, loading: false });
  useEffect(() => {
    if (!runId) {
      setState({ record: undefined, error: undefined, loading: false });
      return;
    }
    let current = true;
    setState((previous) => ({
      record: previous.record?.id === runId ? previous.record : undefined,
      error: undefined,
      loading: true,
    }));
    client.call('runs.get', { runId, display: CHART_VIEW }).then(
      // A transition: the page the record fills renders in slices, not in one long task.
      ({ run, unsaved }) =>
        current && startTransition(() => setState({ record: run, error: undefined, loading: false, ...(unsaved ? { unsaved } : {}) })),
      (thrown: unknown) => current && setState({ record: undefined, error: errorOf(thrown), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [client, runId, epoch, reloads]);
  return { ...state, reload: () => setReloads((count) => count + 1) };
}
