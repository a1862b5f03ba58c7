/**
 * Findings of a memory run: a leak, a heap that grew then plateaued, a run
 * too short to decide, churn, GC pressure (share of time in GC).
 */
import type { Finding } from '../../../shared/findings.js';
import { gcKinds, LeakVerdictSchema, type LeakVerdict } from '../../../shared/runtime.js';
import { leakVerdictScenarios, minimumLeakDurationSec, type MemoryScenario } from '../../../shared/specs/memory.js';
import { evidence, metric, niceCeil, num, numberSetting, runEndMs, series, setting, stretchWhere, type FindingInput, type FindingRule } from './rule.js';

/** Share of the time in GC pauses that is pressure, and that is a problem. */
export const GC_PRESSURE_SHARE = 0.05;
const GC_PRESSURE_PROBLEM_SHARE = 0.2;
/** Scavenges a second, or scavenge pause a second (ms), that mean many short-lived objects. */
export const CHURN_MINOR_GCS_PER_SEC = 5;
export const CHURN_MINOR_PAUSE_MS_PER_SEC = 10;

/** The latest 'leak' event's verdict: one is recorded each time the verdict changes. */
function lastLeakEvent(input: FindingInput): LeakVerdict | undefined {
  for (let i = input.events.length - 1; i >= 0; i--) {
    const event = input.events[i]!;
    if (event.type !== 'leak') continue;
    const parsed = LeakVerdictSchema.safeParse(event.data);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/**
 * The run's leak verdict. A finished run's is its summary's (the leak.*
 * values, the status and reason in leak.flagged's label): the events say
 * when the verdict changed, not its last figures. The fitted stretch runs
 * from the start of the latest verdict's fit to the last point of the live set.
 */
export function leakVerdictOf(input: FindingInput): LeakVerdict | undefined {
  const event = lastLeakEvent(input);
  const label = /^leak verdict: ([\w-]+) \((.*)\)$/s.exec(input.summary['leak.flagged']?.label ?? '');
  const status = LeakVerdictSchema.shape.status.safeParse(label?.[1]);
  const slope = metric(input, 'leak.slopeMbPerMin');
  const r2 = metric(input, 'leak.r2');
  const points = metric(input, 'leak.points');
  if (!label || !status.success || slope === undefined || r2 === undefined || points === undefined) return event;
  const floor = series(input, 'leak.floor');
  const t1 = floor?.t.at(-1) ?? event?.t1 ?? 0;
  const recent = /, (-?[\d.]+) MB\/min over the last ([\d.]+) s$/.exec(label[2]!);
  return {
    status: status.data,
    reason: label[2]!,
    slopeMbPerMin: slope,
    r2,
    points,
    t0: Math.min(event?.t0 ?? floor?.t[0] ?? 0, t1),
    t1,
    interceptMb: event?.interceptMb ?? 0,
    windowSec: event?.windowSec ?? 0,
    ...(recent ? { recentSlopeMbPerMin: Number(recent[1]), recentSec: Number(recent[2]) } : {}),
  };
}

const fitRange = (verdict: LeakVerdict) => (verdict.t1 > verdict.t0 ? { range: { fromMs: verdict.t0, toMs: verdict.t1 } } : {});

/** Leak, grow-then-plateau, or too short to decide: the leak detector's verdict, said as a finding. */
export const leakVerdict: FindingRule = (input, context): Finding | undefined => {
  const verdict = leakVerdictOf(input);
  if (!verdict) return undefined;
  const r2 = verdict.r2.toFixed(2);
  const fit = [
    evidence('live-set growth', verdict.slopeMbPerMin, 'MB/min'),
    evidence('R² of the trend', r2),
    evidence('major-GC points', verdict.points, 'count'),
    ...(verdict.recentSlopeMbPerMin !== undefined ? [evidence(`growth over the last ${num(verdict.recentSec ?? 0)} s`, verdict.recentSlopeMbPerMin, 'MB/min')] : []),
  ];
  if (verdict.status === 'possible-leak') {
    const snapshots = setting(input.spec, 'snapshots') === true;
    return {
      id: 'memory.leak',
      severity: 'problem',
      title:
        `Possible leak: the heap left after each major GC grew ${num(verdict.slopeMbPerMin)} MB/min (R² ${r2}) and was still growing at the end` +
        `${verdict.recentSlopeMbPerMin !== undefined ? ` (${num(verdict.recentSlopeMbPerMin)} MB/min over the last ${num(verdict.recentSec ?? 0)} s)` : ''}.`,
      evidence: fit,
      ...fitRange(verdict),
      ...(!snapshots && !context.live
        ? { tryNext: { action: 'rerun' as const, label: 'Rerun with heap snapshots at start and end, to see what grows', patch: { snapshots: true } } }
        : {}),
    };
  }
  if (verdict.status === 'no-leak' && verdict.reason.startsWith('plateaued')) {
    return {
      id: 'memory.plateau',
      severity: 'info',
      title:
        `The heap grew, then plateaued: ${num(verdict.slopeMbPerMin)} MB/min over the window but ${num(verdict.recentSlopeMbPerMin ?? 0)} MB/min ` +
        `over the last ${num(verdict.recentSec ?? 0)} s; it filled and stayed flat (a cache?), not a leak.`,
      evidence: fit,
      ...fitRange(verdict),
    };
  }
  const scenario = setting(input.spec, 'scenario') as MemoryScenario;
  // Scenarios about the event loop or workers end undecided too: their subject is not the heap.
  if (verdict.status === 'undecided' && !context.live && leakVerdictScenarios.includes(scenario)) {
    const duration = numberSetting(input.spec, 'durationSec');
    const warmupSec = numberSetting(input.spec, 'leakRule.warmupSec');
    const sustainSec = numberSetting(input.spec, 'leakRule.sustainSec');
    const minimum = warmupSec !== undefined && sustainSec !== undefined ? minimumLeakDurationSec({ warmupSec, sustainSec }) : 0;
    const longer = duration !== undefined ? Math.min(3_600, niceCeil(Math.max(duration * 2, minimum * 1.5))) : undefined;
    return {
      id: 'memory.undecided',
      severity: 'warning',
      title: `Too short to tell whether it leaks: ${verdict.reason}.`,
      evidence: fit,
      ...(longer !== undefined && longer > duration! ? { tryNext: { action: 'rerun' as const, label: `Rerun for ${num(longer)} s`, patch: { durationSec: longer } } } : {}),
    };
  }
  return undefined;
};

/** Total GC pause (ms) and the time it is a share of: the summary's totals, or (live) the pause-per-second series. */
function gcTime(input: FindingInput): { pauseMs: number; majorMs: number; spanMs: number; minorCount: number } | undefined {
  const pauseSeries = series(input, 'gc.pauseMs');
  const heap = series(input, 'heapUsed');
  const spanMs = heap && heap.t.length > 1 ? heap.t.at(-1)! - heap.t[0]! + (heap.t[1]! - heap.t[0]!) : undefined;
  const summed = gcKinds.map((kind) => metric(input, `gc.${kind}.pauseMs`));
  if (summed.some((value) => value !== undefined) && spanMs) {
    return {
      pauseMs: summed.reduce<number>((sum, value) => sum + (value ?? 0), 0),
      majorMs: metric(input, 'gc.major.pauseMs') ?? 0,
      spanMs,
      minorCount: metric(input, 'gc.minor.count') ?? 0,
    };
  }
  if (!pauseSeries || pauseSeries.t.length < 2) return undefined;
  let pauseMs = 0;
  for (let i = 1; i < pauseSeries.t.length; i++) pauseMs += (pauseSeries.v[i]! * (pauseSeries.t[i]! - pauseSeries.t[i - 1]!)) / 1000;
  const minor = series(input, 'gc.minor');
  let minorMs = 0;
  if (minor) for (let i = 1; i < minor.t.length; i++) minorMs += (minor.v[i]! * (minor.t[i]! - minor.t[i - 1]!)) / 1000;
  return { pauseMs, majorMs: Math.max(0, pauseMs - minorMs), spanMs: pauseSeries.t.at(-1)! - pauseSeries.t[0]!, minorCount: 0 };
}

/** A large share of the time spent in GC pauses. */
export const gcPressure: FindingRule = (input) => {
  const gc = gcTime(input);
  if (!gc || !(gc.spanMs > 0)) return undefined;
  const share = gc.pauseMs / gc.spanMs;
  if (share < GC_PRESSURE_SHARE) return undefined;
  const pauseSeries = series(input, 'gc.pauseMs');
  const heapLimit = numberSetting(input.spec, 'maxOldSpaceMb');
  const bigger = heapLimit !== undefined ? [heapLimit, heapLimit * 2, heapLimit * 4].filter((mb) => mb <= 65_536) : undefined;
  return {
    id: 'memory.gc-pressure',
    severity: share >= GC_PRESSURE_PROBLEM_SHARE ? 'problem' : 'warning',
    title:
      `GC pressure: garbage collection paused the process ${num(share * 100)}% of the time (${num(gc.pauseMs / 1000)} s of ${num(gc.spanMs / 1000)} s), ` +
      `${gc.majorMs >= gc.pauseMs / 2 ? 'most of it in major GCs: the heap is near its limit or the live set large' : 'most of it in scavenges: many short-lived objects'}.`,
    evidence: [
      evidence('share of time in GC', share, 'ratio'),
      evidence('GC pause total', gc.pauseMs, 'ms'),
      evidence('major GC pause', gc.majorMs, 'ms'),
      ...(heapLimit !== undefined ? [evidence('heap limit', heapLimit, 'MB')] : []),
    ],
    range: (pauseSeries ? stretchWhere(pauseSeries, (value) => value >= GC_PRESSURE_SHARE * 1000) : undefined) ?? { fromMs: 0, toMs: runEndMs(input) },
    // A larger heap spaces out major GCs; scavenges depend on the young generation, which no setting here sizes.
    ...(bigger && bigger.length > 1 && gc.majorMs >= gc.pauseMs / 2
      ? { tryNext: { action: 'sweep' as const, label: `Sweep the heap limit over ${bigger.join(', ')} MB`, axis: { path: 'maxOldSpaceMb', values: bigger } } }
      : {}),
  };
};

/** Churn: many scavenges a second while the live set stays flat. */
export const churn: FindingRule = (input, context) => {
  if (context.live) return undefined;
  const verdict = leakVerdictOf(input);
  if (verdict?.status === 'possible-leak') return undefined;
  const gc = gcTime(input);
  if (!gc || !(gc.spanMs > 0) || !gc.minorCount) return undefined;
  const perSec = gc.minorCount / (gc.spanMs / 1000);
  const minorMs = metric(input, 'gc.minor.pauseMs') ?? 0;
  if (perSec < CHURN_MINOR_GCS_PER_SEC && minorMs / (gc.spanMs / 1000) < CHURN_MINOR_PAUSE_MS_PER_SEC) return undefined;
  return {
    id: 'memory.churn',
    severity: 'info',
    title:
      `Churn: ${num(perSec)} scavenges a second (${num(minorMs / (gc.spanMs / 1000))} ms of pause a second) ` +
      `while the live set stayed ${verdict?.status === 'no-leak' ? 'flat' : 'where it was'}: many short-lived objects, allocated and dropped.`,
    evidence: [
      evidence('scavenges a second', perSec, 'count'),
      evidence('scavenge pause total', minorMs, 'ms'),
      ...(verdict ? [evidence('live-set growth', verdict.slopeMbPerMin, 'MB/min')] : []),
    ],
    range: { fromMs: 0, toMs: runEndMs(input) },
  };
};

export const memoryRules: readonly FindingRule[] = [leakVerdict, gcPressure, churn];
