import { href } from '../app/router.js';
import { formatDuration } from '../format.js';
import type { ExperimentRun } from '../runs/use-experiment-run.js';
import { ErrorNote } from './ErrorNote.js';
import { NoiseBadge } from './NoiseBadge.js';
import { ProgressBar, progressUnitOf } from './ProgressBar.js';
import { StatusBadge } from './StatusBadge.js';

/** The head of a page's current run: name, status, how quiet the machine was, duration, progress, the link to the saved run, and its errors. */
export function RunHeading({ run }: { run: ExperimentRun }) {
  const { live, record, status, finished, runError, recordError, chartSource, chartVersion } = run;
  if (!live) return null;
  return (
    <>
      <div className="run-heading">
        <h2>{live.name || live.runId}</h2>
        {status && <StatusBadge status={status} />}
        <NoiseBadge noise={record?.noise} source={chartSource} version={chartVersion} />
        <span className="muted">{formatDuration(record?.durationMs ?? live.elapsedMs)}</span>
        {finished && (
          <a className="run-link" href={href(`/runs/${live.runId}`)}>
            Open saved run
          </a>
        )}
      </div>
      {live.progress && <ProgressBar done={live.progress.done} total={live.progress.total} unit={progressUnitOf(record?.kind ?? live.kind)} />}
      {runError && <ErrorNote error={runError} title={status === 'failed' ? 'Run failed' : 'Run error'} />}
      {recordError && <ErrorNote error={recordError} title="Could not load the saved run" />}
    </>
  );
}
