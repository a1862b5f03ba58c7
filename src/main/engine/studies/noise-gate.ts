/**
 * Compare and the CI gate never call a difference significant when either
 * side was measured on a busy machine: the verdict is then "inconclusive: the
 * machine was busy (others used 0.7 cores during the candidate)", and the
 * gate exits 2 unless --allow-noisy. A pure function of the runs' noise
 * verdicts (RunRecord.noise), judged against the threshold given here, not
 * the one each run was recorded with.
 */
import { TunebenchError } from '../../../shared/errors.js';
import { DEFAULT_BUSY_THRESHOLD_CORES } from '../../../shared/noise.js';
import { formatCores } from '../../../shared/noise-verdict.js';
import type { RunRecord } from '../../../shared/run-record.js';

export interface NoiseGate {
  /** Either side had a run on which others used more than the threshold. */
  blocked: boolean;
  /** One sentence for people; when blocked, "inconclusive: the machine was busy (...)". */
  reason: string;
}

type NoisyRun = Pick<RunRecord, 'id' | 'noise'>;

interface SideNoise {
  side: 'baseline' | 'candidate';
  runs: number;
  /** Runs whose others' cores are known. */
  measured: number;
  busy: Array<{ id: string; othersCores: number }>;
  highest: number | null;
}

function sideNoise(side: SideNoise['side'], runs: readonly NoisyRun[], thresholdCores: number): SideNoise {
  const known = runs.flatMap((run) =>
    run.noise && run.noise.othersCores !== null && Number.isFinite(run.noise.othersCores) ? [{ id: run.id, othersCores: run.noise.othersCores }] : [],
  );
  const busy = known.filter((run) => run.othersCores > thresholdCores).sort((a, b) => b.othersCores - a.othersCores);
  return {
    side,
    runs: runs.length,
    measured: known.length,
    busy,
    highest: known.length ? Math.max(...known.map((run) => run.othersCores)) : null,
  };
}

/** "0.7 cores during the candidate" or, with repeats, "0.7 cores during the candidate (run x; 2 of 5 runs busy)". */
function describeBusySide(side: SideNoise, first: boolean): string {
  const worst = side.busy[0]!;
  const unit = first ? ' cores' : '';
  const which = side.runs > 1 ? ` (run ${worst.id}; ${side.busy.length} of ${side.runs} runs busy)` : '';
  return `${formatCores(worst.othersCores)}${unit} during the ${side.side}${which}`;
}

export function noiseBlocksVerdict(
  baselineRuns: readonly NoisyRun[],
  candidateRuns: readonly NoisyRun[],
  thresholdCores: number = DEFAULT_BUSY_THRESHOLD_CORES,
): NoiseGate {
  if (!Number.isFinite(thresholdCores) || thresholdCores < 0) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'the busy threshold', rule: `a number of cores of 0 or more; got ${String(thresholdCores)}` });
  }
  const sides = [sideNoise('baseline', baselineRuns, thresholdCores), sideNoise('candidate', candidateRuns, thresholdCores)];
  const busySides = sides.filter((side) => side.busy.length > 0);
  if (busySides.length) {
    const others = busySides.map((side, index) => describeBusySide(side, index === 0)).join(' and ');
    return {
      blocked: true,
      reason: `inconclusive: the machine was busy (others used ${others}; threshold ${formatCores(thresholdCores)} cores)`,
    };
  }
  const unmeasured = sides.reduce((sum, side) => sum + side.runs - side.measured, 0);
  const highest = Math.max(...sides.map((side) => side.highest ?? Number.NEGATIVE_INFINITY));
  const total = sides.reduce((sum, side) => sum + side.runs, 0);
  if (unmeasured === total) {
    return { blocked: false, reason: "the machine's noise is unknown for every run (recorded before Tunebench measured it, or not on Linux)" };
  }
  const quiet = `the machine was quiet (others used at most ${formatCores(highest)} cores; threshold ${formatCores(thresholdCores)})`;
  return {
    blocked: false,
    reason: unmeasured ? `${quiet}; noise unknown for ${unmeasured} of ${total} runs` : quiet,
  };
}
