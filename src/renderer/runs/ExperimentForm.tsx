import type { ReactNode } from 'react';
import { ErrorNote } from '../components/ErrorNote.js';
import { RerunNote } from '../components/RerunNote.js';
import { RunStopButtons } from '../components/RunStopButtons.js';
import { SweepButton } from '../studies/SweepButton.js';
import type { ExperimentRun } from './use-experiment-run.js';
import type { RunDraftState } from './use-run-draft.js';

/**
 * The part every run page shares around its own fields: the form that starts
 * a run (Enter included), Run and Stop with the outcome, Sweep, the note of the
 * run it reruns, and why a prefill or a start failed.
 */
export function ExperimentForm({
  run,
  draft,
  spec,
  canRun,
  sweepPage,
  runLabel,
  stopLabel,
  specProblem,
  children,
  afterActions,
}: {
  run: ExperimentRun;
  draft: Pick<RunDraftState<unknown>, 'rerunOf' | 'setRerunOf' | 'prefillError'>;
  spec: Parameters<ExperimentRun['start']>[0];
  /** The form is valid (and anything else the page needs, such as a running cluster). */
  canRun: boolean;
  /** The page's name for the sweep builder's "from" link; no Sweep button without it. */
  sweepPage?: string;
  runLabel?: string;
  stopLabel?: string;
  /** What is wrong with the spec beyond any one field. */
  specProblem?: string | undefined;
  /** The page's fields. */
  children: ReactNode;
  /** Inside the form, after the buttons (the Load page's script exports). */
  afterActions?: ReactNode;
}) {
  const { rerunOf, setRerunOf, prefillError } = draft;
  return (
    <>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (canRun) void run.start(spec, rerunOf);
        }}
        noValidate
      >
        {children}
        {specProblem && <ErrorNote error={{ message: specProblem }} title="Spec" />}
        <div className="actions">
          <RunStopButtons run={run} canRun={canRun} {...(runLabel ? { runLabel } : {})} {...(stopLabel ? { stopLabel } : {})} />
          {sweepPage && <SweepButton spec={spec} page={sweepPage} disabled={!canRun} />}
          <RerunNote rerunOf={rerunOf} onClear={() => setRerunOf(undefined)} />
        </div>
        {afterActions}
      </form>
      {prefillError && <ErrorNote error={prefillError} title="Could not read the run to rerun" />}
      {run.actionError && <ErrorNote error={run.actionError} />}
    </>
  );
}
