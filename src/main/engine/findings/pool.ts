/**
 * Findings of a pool run: queue wait dominates, more threads than cores, the
 * main thread's event loop is busy. (A run too short or start-up dominated is
 * the common short-run finding.)
 */
import { doublingSteps, evidence, measuredRange, measureStartMs, metric, msText, num, numberSetting, plural, series, stretchWhere, type FindingRule } from './rule.js';

/** Waits under this are noise whatever the run time: a queue of a job or two on a busy machine. */
const QUEUE_WAIT_MIN_MS = 1;
/** The main thread counts as busy above this utilisation (percent) ... */
export const MAIN_THREAD_BUSY_ELU_PERCENT = 70;
/** ... or this event-loop delay p99 (ms: a 10 ms timer this late). */
export const MAIN_THREAD_BUSY_ELD_MS = 50;
/** Jobs shorter than this, handed out faster than TINY_JOBS_PER_SEC, cost the main thread more in messages than they do work. */
const TINY_JOB_MS = 1;
const TINY_JOBS_PER_SEC = 2_000;

/** Jobs wait for a thread longer than they run: add threads, up to the cores (or, with a thread per core, fewer in flight). */
export const queueWaitDominates: FindingRule = (input, context) => {
  if (context.live && measureStartMs(input) === undefined) return undefined;
  const waitP50 = metric(input, 'waitP50');
  const runP50 = metric(input, 'runP50');
  if (waitP50 === undefined || runP50 === undefined || waitP50 < QUEUE_WAIT_MIN_MS || waitP50 < runP50) return undefined;
  const threads = numberSetting(input.spec, 'pool.threads') ?? 0;
  const concurrency = numberSetting(input.spec, 'concurrency') ?? 0;
  // No more in flight than threads: no queue, and a wait is the scheduler's (threads over cores is its own finding).
  if (concurrency <= threads) return undefined;
  const cores = input.environment.cpuCount;
  const waitSeries = series(input, 'waitP50');
  const runSeries = series(input, 'runP50');
  const from = measureStartMs(input) ?? 0;
  const range =
    (waitSeries && runSeries && waitSeries.t.length === runSeries.t.length
      ? stretchWhere(waitSeries, (wait, i) => waitSeries.t[i]! >= from && wait >= QUEUE_WAIT_MIN_MS && wait >= runSeries.v[i]!)
      : undefined) ?? measuredRange(input);
  const numbers = [
    evidence('queue wait p50', waitP50, 'ms'),
    evidence('run time p50', runP50, 'ms'),
    ...(metric(input, 'waitP95') !== undefined ? [evidence('queue wait p95', metric(input, 'waitP95')!, 'ms')] : []),
    evidence('threads', threads, 'count'),
    evidence('cores', cores, 'count'),
    evidence('jobs in flight', concurrency, 'count'),
  ];
  const ratio = runP50 > 0 ? ` (${num(waitP50 / runP50)}× as long)` : '';
  if (threads < cores) {
    return {
      id: 'pool.queue-wait',
      severity: 'warning',
      title:
        `Queue wait dominates: jobs waited ${num(waitP50)} ms (p50) for a thread and ran ${msText(runP50)}${ratio}; ` +
        `add threads, up to the ${plural(cores, 'core')}.`,
      evidence: numbers,
      range,
      tryNext: { action: 'sweep', label: `Sweep threads over ${doublingSteps(threads, cores).join(', ')}`, axis: { path: 'pool.threads', values: doublingSteps(threads, cores) } },
    };
  }
  const inFlight = doublingSteps(threads, Math.max(threads, concurrency));
  return {
    id: 'pool.queue-wait',
    severity: 'info',
    title:
      `Queue wait dominates: jobs waited ${num(waitP50)} ms (p50) for a thread and ran ${msText(runP50)}${ratio}, but every core has a thread ` +
      `already: the queue is the ${num(concurrency)} jobs in flight on ${plural(threads, 'thread')}, and fewer in flight would cut the wait, not the throughput.`,
    evidence: numbers,
    range,
    ...(inFlight.length > 1
      ? { tryNext: { action: 'sweep' as const, label: `Sweep jobs in flight over ${inFlight.join(', ')}`, axis: { path: 'concurrency', values: inFlight } } }
      : {}),
  };
};

/** More threads than cores: they take turns on the cores. */
export const threadsOverCores: FindingRule = (input) => {
  const threads = numberSetting(input.spec, 'pool.threads');
  const cores = input.environment.cpuCount;
  if (threads === undefined || !(cores > 0) || threads <= cores) return undefined;
  const values = [...new Set([Math.max(1, Math.floor(cores / 2)), cores, threads])].sort((a, b) => a - b);
  const utilisation = metric(input, 'utilisation');
  return {
    id: 'pool.threads-over-cores',
    severity: 'warning',
    title:
      `More threads (${num(threads)}) than cores (${num(cores)}): the threads take turns on the cores, which adds switching and memory, not throughput.`,
    evidence: [
      evidence('threads', threads, 'count'),
      evidence('cores', cores, 'count'),
      ...(utilisation !== undefined ? [evidence('worker utilisation', utilisation, 'percent')] : []),
    ],
    range: measuredRange(input),
    tryNext: { action: 'sweep', label: `Sweep threads over ${values.join(', ')}`, axis: { path: 'pool.threads', values } },
  };
};

/** The main thread's event loop was busy: it hands out and collects every job, so a busy loop slows the pool; says what blocked it. */
export const mainThreadBusy: FindingRule = (input, context) => {
  if (context.live && measureStartMs(input) === undefined) return undefined;
  const elu = metric(input, 'elu');
  const eldP99 = metric(input, 'eldP99');
  const busyLoop = elu !== undefined && elu >= MAIN_THREAD_BUSY_ELU_PERCENT;
  const lateTimers = eldP99 !== undefined && eldP99 >= MAIN_THREAD_BUSY_ELD_MS;
  if (!busyLoop && !lateTimers) return undefined;
  const throughput = metric(input, 'throughput') ?? 0;
  const runP50 = metric(input, 'runP50');
  const gc = series(input, 'engine.gc.pauseMs');
  const from = measureStartMs(input) ?? 0;
  let gcShare = 0;
  if (gc) {
    const measured = gc.v.filter((_, i) => gc.t[i]! >= from);
    gcShare = measured.length ? measured.reduce((sum, value) => sum + value, 0) / measured.length / 1000 : 0;
  }
  const cause =
    runP50 !== undefined && runP50 < TINY_JOB_MS && throughput >= TINY_JOBS_PER_SEC
      ? `handing out ${num(throughput)} jobs a second of ${msText(runP50)} each: the messages cost more than the work, so give each job more to do`
      : gcShare >= 0.1
        ? `garbage collection in the workbench took ${num(gcShare * 100)}% of its time`
        : 'other work in the workbench process (not the jobs: they run on the pool threads)';
  const eluSeries = series(input, 'elu');
  const eldSeries = series(input, 'eldP99');
  const range =
    (busyLoop && eluSeries ? stretchWhere(eluSeries, (value, i) => eluSeries.t[i]! >= from && value >= MAIN_THREAD_BUSY_ELU_PERCENT) : undefined) ??
    (eldSeries ? stretchWhere(eldSeries, (value, i) => eldSeries.t[i]! >= from && value >= MAIN_THREAD_BUSY_ELD_MS) : undefined) ??
    measuredRange(input);
  const what = [busyLoop ? `${num(elu!)}% busy` : undefined, lateTimers ? `timers ${num(eldP99!)} ms late (p99)` : undefined].filter(Boolean).join(', ');
  return {
    id: 'pool.main-thread-busy',
    severity: eldP99 !== undefined && eldP99 >= MAIN_THREAD_BUSY_ELD_MS * 4 ? 'problem' : 'warning',
    title: `The main thread's event loop was busy (${what}), which delays every job it hands out; what blocks it: ${cause}.`,
    evidence: [
      ...(elu !== undefined ? [evidence('main-thread utilisation', elu, 'percent')] : []),
      ...(eldP99 !== undefined ? [evidence('event-loop delay p99', eldP99, 'ms')] : []),
      ...(metric(input, 'eldMax') !== undefined ? [evidence('event-loop delay max', metric(input, 'eldMax')!, 'ms')] : []),
      evidence('throughput', throughput, 'jobs/s'),
      ...(runP50 !== undefined ? [evidence('run time p50', runP50, 'ms')] : []),
      ...(gc ? [evidence('GC share of the workbench', gcShare, 'ratio')] : []),
    ],
    range,
  };
};

export const poolRules: readonly FindingRule[] = [queueWaitDominates, threadsOverCores, mainThreadBusy];
