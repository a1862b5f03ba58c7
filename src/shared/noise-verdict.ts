/**
 * The arithmetic of a run's noise verdict, shared by the engine (the verdict
 * in the record, the CLI line, reports) and the renderer (the live badge and
 * the busy band on the charts). Pure functions, no schema.
 */
import type { Series } from './metrics.js';
import { DEFAULT_BUSY_THRESHOLD_CORES, NOISE_SERIES, type NoiseVerdict } from './noise.js';

/** What the machine did during one sampling interval of a run. */
export interface NoiseInterval {
  /** How long the interval was (ms). */
  durationMs: number;
  /** Cores used by processes outside the run's tree; null where the OS offers no way to tell. */
  othersCores: number | null;
  stealRatio: number | null;
  loadAverage: number | null;
  cpuPressure: number | null;
}

/**
 * Intervals shorter than this still count towards the means (by their length)
 * but not towards the worst interval: a few jiffies of rounding in a 50 ms
 * interval read as a fifth of a core.
 */
export const MIN_INTERVAL_FOR_MAX_MS = 500;

/** 0.7 → "0.7", 0.054 → "0.05": cores read to two decimals. */
export function formatCores(cores: number): string {
  return String(Number(cores.toFixed(2)));
}

function percent(ratio: number): string {
  return `${String(Number((ratio * 100).toFixed(1)))}%`;
}

function weightedMean(intervals: readonly NoiseInterval[], pick: (interval: NoiseInterval) => number | null): number | null {
  let weight = 0;
  let sum = 0;
  for (const interval of intervals) {
    const value = pick(interval);
    if (value === null || !Number.isFinite(value) || !(interval.durationMs > 0)) continue;
    weight += interval.durationMs;
    sum += value * interval.durationMs;
  }
  return weight > 0 ? sum / weight : null;
}

/** The verdict over a run's intervals: means weighted by each interval's length, busy above the threshold. */
export function noiseVerdict(intervals: readonly NoiseInterval[], thresholdCores: number = DEFAULT_BUSY_THRESHOLD_CORES): NoiseVerdict {
  const othersCores = weightedMean(intervals, (i) => i.othersCores);
  const measured = intervals.filter((i) => i.othersCores !== null && Number.isFinite(i.othersCores) && i.durationMs > 0);
  const long = measured.filter((i) => i.durationMs >= MIN_INTERVAL_FOR_MAX_MS);
  const maxOf = long.length ? long : measured;
  const othersCoresMax = maxOf.length ? Math.max(...maxOf.map((i) => i.othersCores!)) : null;
  const verdict = othersCores === null ? 'unknown' : othersCores > thresholdCores ? 'busy' : 'quiet';
  const result: NoiseVerdict = {
    verdict,
    othersCores,
    othersCoresMax,
    stealRatio: weightedMean(intervals, (i) => i.stealRatio),
    loadAverage: weightedMean(intervals, (i) => i.loadAverage),
    cpuPressure: weightedMean(intervals, (i) => i.cpuPressure),
    thresholdCores,
    summary: '',
  };
  result.summary = describeNoise(result, intervals.length === 0);
  return result;
}

/**
 * One sentence: "busy: others used 0.7 cores (threshold 0.25)". `empty`: the
 * run ended before a single interval could be measured.
 */
export function describeNoise(noise: Omit<NoiseVerdict, 'summary'>, empty = false): string {
  if (noise.verdict === 'unknown' || noise.othersCores === null) {
    const why = empty
      ? 'the run ended before the machine could be sampled'
      : "this system offers no way to measure other processes' CPU use";
    const load = noise.loadAverage !== null ? `; load average ${formatCores(noise.loadAverage)}` : '';
    return `unknown: ${why}${load}`;
  }
  return `${noise.verdict}: others used ${formatCores(noise.othersCores)} cores (threshold ${formatCores(noise.thresholdCores)})`;
}

/** The CLI's line: "machine: quiet (others used 0.05 cores; load 1.2, CPU pressure 3%)". */
export function noiseLine(noise: NoiseVerdict | undefined): string {
  return `machine: ${describeMachine(noise)}`;
}

/** A few words for a badge or a table cell: "busy: others 0.7 cores", "quiet: others 0.05 cores", "unknown". */
export function describeMachineShort(noise: NoiseVerdict | undefined): string {
  if (!noise) return 'not measured';
  if (noise.verdict === 'unknown' || noise.othersCores === null) return 'unknown';
  return `${noise.verdict}: others ${formatCores(noise.othersCores)} cores`;
}

/** The reports' "Machine" cell: "quiet (others used 0.05 cores; load 1.2, CPU pressure 3%)". */
export function describeMachine(noise: NoiseVerdict | undefined): string {
  if (!noise) return 'not measured (recorded before Tunebench measured it)';
  if (noise.verdict === 'unknown' || noise.othersCores === null) return noise.summary;
  const details = [
    noise.othersCoresMax !== null ? `worst second ${formatCores(noise.othersCoresMax)}` : undefined,
    noise.stealRatio !== null ? `steal ${percent(noise.stealRatio)}` : undefined,
    noise.loadAverage !== null ? `load ${formatCores(noise.loadAverage)}` : undefined,
    noise.cpuPressure !== null ? `CPU pressure ${percent(noise.cpuPressure)}` : undefined,
  ].filter((part): part is string => part !== undefined);
  const over = noise.verdict === 'busy' ? `, over the ${formatCores(noise.thresholdCores)} threshold` : '';
  return `${noise.verdict} (others used ${formatCores(noise.othersCores)} cores${over}${details.length ? `; ${details.join(', ')}` : ''})`;
}

/**
 * The intervals behind a run's noise.* series: each point closes the interval
 * that began at the previous point (the first at the run's start).
 */
export function noiseIntervalsFromSeries(series: (name: string) => Pick<Series, 't' | 'v'> | undefined): NoiseInterval[] {
  const others = series(NOISE_SERIES.othersCores);
  const load = series(NOISE_SERIES.loadAverage);
  // A system without others' CPU (macOS) still records its load average.
  const axis = others && others.t.length ? others : load;
  if (!axis) return [];
  const at = (name: string) => {
    const found = series(name);
    const byTime = new Map<number, number>();
    if (found) for (let i = 0; i < found.t.length; i++) byTime.set(found.t[i]!, found.v[i]!);
    return (t: number) => byTime.get(t) ?? null;
  };
  const othersAt = at(NOISE_SERIES.othersCores);
  const stealAt = at(NOISE_SERIES.steal);
  const loadAt = at(NOISE_SERIES.loadAverage);
  const pressureAt = at(NOISE_SERIES.cpuPressure);
  return axis.t.map((t, i) => ({
    durationMs: t - (i > 0 ? axis.t[i - 1]! : 0),
    othersCores: othersAt(t),
    stealRatio: stealAt(t),
    loadAverage: loadAt(t),
    cpuPressure: pressureAt(t),
  }));
}

/** A stretch of a run during which others used more than the threshold (ms since the run started). */
export interface BusyBand {
  fromMs: number;
  toMs: number;
  /** The most cores others used in any interval of the stretch. */
  peakCores: number;
}

/** The busy stretches of a run's othersCores series; neighbouring busy intervals merge into one band. */
export function busyBands(
  othersCores: Pick<Series, 't' | 'v'> | undefined,
  thresholdCores: number = DEFAULT_BUSY_THRESHOLD_CORES,
): BusyBand[] {
  if (!othersCores) return [];
  const bands: BusyBand[] = [];
  let open: BusyBand | undefined;
  for (let i = 0; i < othersCores.t.length; i++) {
    const to = othersCores.t[i]!;
    const from = i > 0 ? othersCores.t[i - 1]! : 0;
    const value = othersCores.v[i]!;
    if (value > thresholdCores) {
      if (open && open.toMs === from) {
        open.toMs = to;
        open.peakCores = Math.max(open.peakCores, value);
      } else {
        open = { fromMs: from, toMs: to, peakCores: value };
        bands.push(open);
      }
    } else {
      open = undefined;
    }
  }
  return bands;
}
