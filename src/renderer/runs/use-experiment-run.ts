import { useMemo, useState } from 'react';
import type { CallRequest } from '../../shared/contract.js';
import type { RunStatus } from '../../shared/run-record.js';
import { useLiveRunsVersion, useServices } from '../app/services.js';
import { errorOf } from '../components/ErrorNote.js';
import type { LiveRun } from './live-runs.js';
import { RecordSeriesSource, type SeriesSource } from './series-source.js';
import { useRunRecord } from './use-run-record.js';

type ExperimentSpec = CallRequest<'runs.start'>['spec'];

export interface ExperimentRun {
  /** Set as soon as a start succeeds, even before the live run has its first update. */
  runId: string | undefined;
  /** The page's current run, live; undefined before the first start. */
  live: LiveRun | undefined;
  running: boolean;
  finished: boolean;
  /** The saved record once the run has ended. */
  record: ReturnType<typeof useRunRecord>['record'];
  recordError: ReturnType<typeof useRunRecord>['error'];
  /** What the charts draw: the saved record when there is one, else the live run. */
  chartSource: SeriesSource | undefined;
  /** Changes when the chart source has new points. */
  chartVersion: number;
  status: RunStatus | undefined;
  runError: { code: string; message: string } | undefined;
  pending: 'start' | 'stop' | undefined;
  actionError: { code?: string; message: string } | undefined;
  setActionError(error: { code?: string; message: string } | undefined): void;
  start(spec: ExperimentSpec, rerunOf?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ExperimentRunOptions {
  /** Which runs of the kind are the page's own (two pages share the memory kind); module level, so it stays the same function. */
  accepts?: (run: LiveRun) => boolean;
}

/**
 * A page's run of one kind: start, stop, follow it live, then load its saved
 * record. A page revisited shows the latest run of its kind (that it accepts) again,
 * and a run of its own found running after a reload or reconnection.
 */
export function useExperimentRun(kind: string, options: ExperimentRunOptions = {}): ExperimentRun {
  const { client, liveRuns } = useServices();
  const liveVersion = useLiveRunsVersion();
  const { accepts } = options;
  const [runId, setRunId] = useState(() => liveRuns.latest(kind, accepts)?.runId);
  // A run of this page's that the window learnt about after the page opened (a reload's resync): followed when the page has none.
  const adopted = runId === undefined ? liveRuns.latest(kind, accepts) : undefined;
  if (adopted && adopted.status === 'running') setRunId(adopted.runId);
  const [pending, setPending] = useState<'start' | 'stop' | undefined>();
  const [actionError, setActionError] = useState<{ code?: string; message: string }>();

  const live = runId ? liveRuns.get(runId) : undefined;
  const running = live?.status === 'running';
  const finished = live !== undefined && !running;
  const { record, error: recordError } = useRunRecord(finished ? runId : undefined);
  const chartSource = useMemo(() => (record ? new RecordSeriesSource(record) : live), [record, live]);

  const start = async (spec: ExperimentSpec, rerunOf?: string) => {
    setPending('start');
    setActionError(undefined);
    try {
      const started = await client.call('runs.start', { spec, ...(rerunOf ? { rerunOf } : {}) });
      liveRuns.follow(started.runId);
      setRunId(started.runId);
    } catch (thrown) {
      setActionError(errorOf(thrown));
    } finally {
      setPending(undefined);
    }
  };

  const stop = async () => {
    if (!runId) return;
    setPending('stop');
    try {
      await client.call('runs.stop', { runId });
    } catch (thrown) {
      setActionError(errorOf(thrown));
    } finally {
      setPending(undefined);
    }
  };

  return {
    runId,
    live,
    running,
    finished,
    record,
    recordError,
    chartSource,
    chartVersion: record ? 0 : liveVersion,
    status: record?.status ?? live?.status,
    runError: record?.error ?? live?.error,
    pending,
    actionError,
    setActionError,
    start,
    stop,
  };
}
