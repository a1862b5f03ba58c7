import type { ExperimentRun } from '../runs/use-experiment-run.js';
import { RunOutcome } from './RunOutcome.js';

/**
 * The Run (form submit) and Stop buttons of a run page, with the current run's
 * outcome in one line beside them. Both buttons stay disabled while a start or
 * stop is in flight so a double click cannot start two runs.
 */
export function RunStopButtons({
  run,
  canRun,
  runLabel = 'Run',
  stopLabel,
}: {
  run: ExperimentRun;
  canRun: boolean;
  runLabel?: string;
  /** An accessible name for Stop where the page has more than one Stop button. */
  stopLabel?: string;
}) {
  const { running, pending } = run;
  return (
    <>
      <button type="submit" className="primary" disabled={!canRun || running || pending !== undefined}>
        {runLabel}
      </button>
      <button type="button" aria-label={stopLabel} onClick={() => void run.stop()} disabled={!running || pending !== undefined}>
        Stop
      </button>
      <RunOutcome run={run} />
    </>
  );
}
