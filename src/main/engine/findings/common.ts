/**
 * Findings every kind can have: the machine was busy, the measured window was
 * too short, too few repeats to decide.
 */
import type { Finding, TryNext } from '../../../shared/findings.js';
import { STABLE_WINDOW_MIN_ITEMS, STABLE_WINDOW_MIN_SEC } from '../../../shared/measured-window.js';
import { busyBands, formatCores, noiseIntervalsFromSeries, noiseVerdict } from '../../../shared/noise-verdict.js';
import { DEFAULT_BUSY_THRESHOLD_CORES, NOISE_SERIES, type NoiseVerdict } from '../../../shared/noise.js';
import { evidence, metric, niceCeil, num, numberSetting, runEndMs, type FindingInput, type FindingRule } from './rule.js';

/** Live, the machine's verdict waits for this many one-second noise samples. */
const LIVE_NOISE_MIN_SAMPLES = 3;
/** Fewer measured runs per point than this cannot tell a difference from run-to-run noise. */
export const MIN_REPEATS = 3;

/** The machine was busy: others used more CPU than the threshold (the record's verdict; live, the noise series so far). */
export const machineBusy: FindingRule = (input, context) => {
  let noise: NoiseVerdict | undefined = input.noise;
  if (context.live) {
    const intervals = noiseIntervalsFromSeries((name) => input.series[name]);
    if (intervals.filter((interval) => interval.othersCores !== null).length < LIVE_NOISE_MIN_SAMPLES) return undefined;
    noise = noiseVerdict(intervals);
  }
  if (!noise || noise.verdict !== 'busy' || noise.othersCores === null) return undefined;
  const bands = busyBands(input.series[NOISE_SERIES.othersCores], noise.thresholdCores ?? DEFAULT_BUSY_THRESHOLD_CORES);
  return {
    id: 'machine-busy',
    severity: 'warning',
    title:
      `The machine was busy: other processes used ${formatCores(noise.othersCores)} cores on average ` +
      `(over the ${formatCores(noise.thresholdCores)} threshold), so these figures may be off.`,
    evidence: [
      evidence('others, mean', noise.othersCores, 'cores'),
      ...(noise.othersCoresMax !== null ? [evidence('others, worst second', noise.othersCoresMax, 'cores')] : []),
      evidence('threshold', noise.thresholdCores, 'cores'),
      ...(noise.cpuPressure !== null ? [evidence('CPU pressure', noise.cpuPressure, 'ratio')] : []),
    ],
    ...(bands.length ? { range: { fromMs: bands[0]!.fromMs, toMs: bands.at(-1)!.toMs } } : {}),
    tryNext: { action: 'rerun', label: 'Rerun when the machine is quiet', patch: {} },
  };
};

/** What a short run's rerun changes, per kind: more of what its window is made of. */
function longerRun(input: FindingInput, seconds: number, items: number): TryNext | undefined {
  const scale = Math.max((STABLE_WINDOW_MIN_SEC * 1.5) / Math.max(seconds, 0.01), (STABLE_WINDOW_MIN_ITEMS * 1.5) / Math.max(items, 1), 1.5);
  if (input.kind === 'pool') {
    const jobs = numberSetting(input.spec, 'jobs');
    if (jobs === undefined) return undefined;
    const more = Math.min(1_000_000, niceCeil(jobs * scale));
    return more > jobs ? { action: 'rerun', label: `Rerun with ${num(more)} jobs`, patch: { jobs: more } } : undefined;
  }
  if (input.kind === 'load') {
    const duration = numberSetting(input.spec, 'load.durationSec');
    const requests = numberSetting(input.spec, 'load.requests');
    if (duration === undefined) return undefined;
    const longer = Math.min(3_600, niceCeil(Math.max(duration * 1.5, STABLE_WINDOW_MIN_SEC * 2.5)));
    const patch: Record<string, number> = { 'load.durationSec': longer };
    // A request count that ended the run early would end the longer one early too.
    if (requests !== undefined && requests < STABLE_WINDOW_MIN_ITEMS * 2) patch['load.requests'] = niceCeil(Math.max(requests * scale, STABLE_WINDOW_MIN_ITEMS * 2));
    return { action: 'rerun', label: `Rerun for ${num(longer)} s`, patch };
  }
  return undefined;
}

/** A 'short-run' warning on the timeline: too short for stable numbers, or dominated by start-up. */
export const shortRun: FindingRule = (input, context) => {
  if (context.live) return undefined;
  const warning = input.events.find((event) => event.type === 'short-run');
  if (!warning) return undefined;
  const data = warning.data ?? {};
  const seconds = typeof data.seconds === 'number' ? data.seconds : 0;
  const items = typeof data.jobs === 'number' ? data.jobs : typeof data.requests === 'number' ? data.requests : 0;
  const noun = input.kind === 'pool' ? 'jobs' : 'requests';
  const setupSec = metric(input, 'setupSec') ?? 0;
  const start = input.events.find((event) => event.type === 'measure-start');
  const warmupMs = typeof start?.data?.warmupMs === 'number' ? start.data.warmupMs : 0;
  const beforeSec = setupSec + (input.kind === 'pool' ? warmupMs / 1000 : 0);
  const endedInWarmup = data.measured === false;
  // A pool's thread start-up and warm-up are part of every run of it; a cluster's start is the target's, not the run's.
  const startupDominated = input.kind === 'pool' && !endedInWarmup && beforeSec > seconds;
  const title = endedInWarmup
    ? `The run ended during its warm-up: nothing was measured apart from it, too short for stable numbers.`
    : startupDominated
      ? `Start-up and warm-up (${num(beforeSec)} s) took longer than the ${num(seconds)} s measured: the run is start-up dominated, too short for stable numbers.`
      : `The measured window was too short for stable numbers: ${num(seconds)} s and ${num(items)} ${noun} ` +
        `(at least ${STABLE_WINDOW_MIN_SEC} s and ${STABLE_WINDOW_MIN_ITEMS} ${noun} are needed).`;
  const tryNext = longerRun(input, seconds, items);
  const finding: Finding = {
    id: 'short-run',
    severity: 'warning',
    title,
    evidence: [
      evidence('measured window', seconds, 's'),
      evidence(`measured ${noun}`, items, 'count'),
      ...(beforeSec > 0 ? [evidence('start-up and warm-up', beforeSec, 's')] : []),
      evidence('needed', `${STABLE_WINDOW_MIN_SEC} s and ${STABLE_WINDOW_MIN_ITEMS} ${noun}`),
    ],
    range: { fromMs: 0, toMs: runEndMs(input) },
    ...(tryNext ? { tryNext } : {}),
  };
  return finding;
};

/** Too few runs of these settings to tell a difference from run-to-run noise: a sweep of few repeats, or one rerun against one run. */
export const tooFewRepeats: FindingRule = (input, context) => {
  if (context.live || input.status !== 'completed') return undefined;
  const repeat: TryNext = { action: 'sweep', label: `Repeat these settings ${MIN_REPEATS + 2} times`, repeats: MIN_REPEATS + 2 };
  if (input.origin?.sweepId && context.repeats !== undefined && context.repeats < MIN_REPEATS) {
    return {
      id: 'too-few-repeats',
      severity: 'warning',
      title:
        `This sweep runs each point ${context.repeats === 1 ? 'once' : `${context.repeats} times`}: too few repeats to tell a difference ` +
        `between points from run-to-run noise (${MIN_REPEATS} or more are needed).`,
      evidence: [evidence('repeats per point', context.repeats, 'count'), evidence('needed', MIN_REPEATS, 'count')],
      tryNext: repeat,
    };
  }
  if (input.origin?.rerunOf && !input.origin.sweepId) {
    return {
      id: 'too-few-repeats',
      severity: 'info',
      title:
        `One run against one (this reruns ${input.origin.rerunOf}): too few repeats to decide whether a difference between them ` +
        `is real rather than run-to-run noise; repeat each ${MIN_REPEATS} or more times.`,
      evidence: [evidence('runs of these settings', 1, 'count'), evidence('needed', MIN_REPEATS, 'count')],
      tryNext: repeat,
    };
  }
  return undefined;
};

export const commonRules: readonly FindingRule[] = [machineBusy, shortRun, tooFewRepeats];
