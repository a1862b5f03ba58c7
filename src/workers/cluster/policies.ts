/**
 * The supervisor's decisions as pure functions: what a slot has been through,
 * the time and the policy in; what to do and the slot's next state out. No
 * timers, no mutation: the supervisor keeps the state and applies the
 * decision (tested by tables in test/cluster-policies-*.test.ts).
 */
import type { ClusterSettings } from '../../shared/specs/cluster.js';

export type RestartPolicy = ClusterSettings['restart'];
export type HealthPolicy = ClusterSettings['health'];
export type ErrorRatePolicy = HealthPolicy['errorRate'];

/** What a slot's crashes so far mean for the next one. */
export interface RestartHistory {
  /** When the slot's crashes inside the crash-loop window happened (epoch ms), oldest first. */
  readonly crashTimes: readonly number[];
  /** Crashes since the slot last ran stably: the next restart waits initialBackoffMs · 2^streak (capped). */
  readonly streak: number;
}

export const NO_CRASHES: RestartHistory = { crashTimes: [], streak: 0 };

/** The worker that just crashed: when it began listening, unset if it never did. */
export interface CrashedWorker {
  readonly listeningAt: number | undefined;
}

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly history: RestartHistory }
  | {
      readonly action: 'crash-loop';
      readonly reason: string;
      readonly crashes: number;
      readonly history: RestartHistory;
    };

/**
 * A worker crashed at `now`: restart it after a backoff that doubles with
 * every crash since the slot last ran stably (a worker that listened for
 * stableAfterMs before crashing starts the streak again), or give up on the
 * slot when more than crashLoopCount crashes fall inside the window
 * (a crash exactly crashLoopWindowMs old is outside it).
 */
export function restartDecision(
  history: RestartHistory,
  crashed: CrashedWorker,
  now: number,
  policy: RestartPolicy,
): RestartDecision {
  const ranStably = crashed.listeningAt !== undefined && now - crashed.listeningAt >= policy.stableAfterMs;
  const streak = ranStably ? 0 : history.streak;
  const crashTimes = [...history.crashTimes.filter((t) => now - t < policy.crashLoopWindowMs), now];
  if (crashTimes.length > policy.crashLoopCount) {
    return {
      action: 'crash-loop',
      reason: `crashed ${crashTimes.length} times in ${policy.crashLoopWindowMs / 1000} s`,
      crashes: crashTimes.length,
      history: { crashTimes, streak: streak + 1 },
    };
  }
  return { action: 'restart', delayMs: backoffMs(streak, policy), history: { crashTimes, streak: streak + 1 } };
}

/** The delay before the restart that follows `streak` earlier crashes: initialBackoffMs doubled each time, never above maxBackoffMs. */
export function backoffMs(streak: number, policy: Pick<RestartPolicy, 'initialBackoffMs' | 'maxBackoffMs'>): number {
  // 2^60 outgrows any cap the schema allows; the exponent stays finite.
  return Math.min(policy.initialBackoffMs * 2 ** Math.min(Math.max(streak, 0), 60), policy.maxBackoffMs);
}

/** Requests and errors a worker served since its error rate was last judged. */
export interface ErrorWindow {
  readonly requests: number;
  readonly errors: number;
}

export const EMPTY_WINDOW: ErrorWindow = { requests: 0, errors: 0 };

/** A worker's last metrics report, as far as the health policies read it. */
export interface HealthSample {
  readonly eldP99Ms: number;
  readonly heapUsedMb: number;
}

export type HealthVerdict = { readonly action: 'keep' } | { readonly action: 'replace'; readonly reason: string };

/** A verdict and the error window to keep after it. */
export type HealthDecision = HealthVerdict & { readonly window: ErrorWindow };

/**
 * The error rate is judged once the window holds at least minRequests
 * (over that many, never fewer): above the threshold replaces the worker.
 * A judged window starts again empty, whatever the verdict; one not judged
 * yet is kept as it is. A policy that is off judges nothing and keeps nothing.
 */
export function errorRateDecision(window: ErrorWindow, policy: ErrorRatePolicy): HealthDecision {
  if (!policy.enabled) return { action: 'keep', window: EMPTY_WINDOW };
  if (window.requests < policy.minRequests) return { action: 'keep', window };
  const rate = window.errors / window.requests;
  if (rate > policy.threshold) {
    return {
      action: 'replace',
      reason: `error rate ${(rate * 100).toFixed(1)} % > ${(policy.threshold * 100).toFixed(1)} %`,
      window: EMPTY_WINDOW,
    };
  }
  return { action: 'keep', window: EMPTY_WINDOW };
}

/** Event-loop delay p99 above the threshold (not at it) replaces the worker. */
export function eventLoopDelayVerdict(sample: HealthSample, policy: HealthPolicy['eventLoopDelay']): HealthVerdict {
  if (!policy.enabled || !(sample.eldP99Ms > policy.p99Ms)) return { action: 'keep' };
  return { action: 'replace', reason: `event-loop delay p99 ${sample.eldP99Ms.toFixed(0)} ms > ${policy.p99Ms} ms` };
}

/** Heap used above the limit (not at it) replaces the worker. */
export function heapVerdict(sample: HealthSample, policy: HealthPolicy['heap']): HealthVerdict {
  if (!policy.enabled || !(sample.heapUsedMb > policy.limitMb)) return { action: 'keep' };
  return { action: 'replace', reason: `heap ${sample.heapUsedMb.toFixed(0)} MB > ${policy.limitMb} MB` };
}

/**
 * Every health policy over a worker's error window and its last report, in
 * order: error rate, event-loop delay, heap; the first that fails names the
 * reason. The window to keep comes from the error-rate policy.
 */
export function healthDecision(window: ErrorWindow, sample: HealthSample, policy: HealthPolicy): HealthDecision {
  const errors = errorRateDecision(window, policy.errorRate);
  if (errors.action === 'replace') return errors;
  const verdict = [eventLoopDelayVerdict(sample, policy.eventLoopDelay), heapVerdict(sample, policy.heap)].find(
    (v) => v.action === 'replace',
  );
  return { ...(verdict ?? { action: 'keep' }), window: errors.window };
}
