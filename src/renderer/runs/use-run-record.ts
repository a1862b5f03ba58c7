import type { RunRecord } from '../../shared/run-record.js';
import { useCall, type Problem } from '../app/use-call.js';
import { CHART_VIEW } from './run-views.js';

export interface RunRecordState {
  /** A display view of the record (CHART_VIEW): series cut for drawing, distributions without values. */
  record: RunRecord | undefined;
  error: Problem | undefined;
  loading: boolean;
  /** Set when the run finished but the data directory refused its record: it lives in the engine's memory. */
  unsaved?: { reason: string };
  /** Loads it again (after it was saved, say). */
  reload: () => void;
}

/** Loads a saved run's display view; `runId` undefined means "nothing to load yet" (e.g. still running). */
export function useRunRecord(runId: string | undefined): RunRecordState {
  // A transition: the page the record fills renders in slices, not in one long task.
  const { data, error, loading, reload } = useCall('runs.get', runId ? { runId, display: CHART_VIEW } : undefined, { transition: true });
  return { record: data?.run, error, loading, ...(data?.unsaved ? { unsaved: data.unsaved } : {}), reload };
}
