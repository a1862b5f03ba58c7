/**
 * Event-loop delay as lateness, measured the same way everywhere (the engine's
 * main thread, the load generator, the runtime probe, the test servers): a
 * timer asked to fire every `resolutionMs`; each tick records how much later
 * than asked it ran, floored at 0. An idle loop reads about 0, not the
 * resolution (perf_hooks' monitorEventLoopDelay records the whole interval
 * between its ticks, so an idle loop reads about 10 ms at a 10 ms resolution).
 *
 * The timer lives with each host (shared code has no timers); this holds the
 * formula and the samples. Reading an interval never loses a tick:
 * monitorEventLoopDelay's reset() forgets its last tick, so the interval that
 * spans a reset (often the one of a long block) is never recorded, and an
 * interval that held only that block reads as no delay at all. Here a tick
 * always lands in the interval it ran in.
 */

/** Lateness of one event-loop turn, milliseconds; count is how many ticks were measured. */
export interface EventLoopLateness {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The default resolution: a timer every 10 ms costs well under 1 % of a core. */
export const EVENT_LOOP_RESOLUTION_MS = 10;

/** How much later than `resolutionMs` a tick came after the previous one; never negative. */
export function latenessMs(sinceLastTickMs: number, resolutionMs: number): number {
  return Math.max(0, sinceLastTickMs - resolutionMs);
}

/** Nearest-rank percentiles of lateness samples (sorted in place); undefined when there are none. */
export function latenessOf(samples: Float64Array | number[]): EventLoopLateness | undefined {
  const count = samples.length;
  if (count === 0) return undefined;
  const sorted = samples instanceof Float64Array ? samples.sort() : samples.sort((a, b) => a - b);
  const rank = (fraction: number) => sorted[Math.max(0, Math.ceil(fraction * count) - 1)]!;
  let total = 0;
  for (let i = 0; i < count; i++) total += sorted[i]!;
  return {
    count,
    p50: rank(0.5),
    p90: rank(0.9),
    p99: rank(0.99),
    max: sorted[count - 1]!,
    mean: total / count,
  };
}

/**
 * Collects the lateness of a repeating timer. The host calls tick() from a
 * timer of `resolutionMs` (unref'd, so it keeps nothing alive) and take() once
 * per interval; `onTick` sees every tick (e.g. for a whole-run histogram).
 * Memory is bounded: past `maxSamples` ticks in one interval every other
 * sample is kept (count, max and mean stay exact).
 */
export class LatenessSampler {
  private samples: Float64Array;
  private kept = 0;
  private stride = 1;
  private skipped = 0;
  private count = 0;
  private sum = 0;
  private max = 0;
  private last: number;

  private readonly onTick: ((latenessMs: number) => void) | undefined;

  constructor(
    readonly resolutionMs: number,
    private readonly now: () => number,
    options: { maxSamples?: number; onTick?: (latenessMs: number) => void } = {},
  ) {
    if (!(resolutionMs > 0)) throw new RangeError(`resolutionMs must be above 0, got ${resolutionMs}`);
    this.samples = new Float64Array(Math.max(2, options.maxSamples ?? 8_192));
    this.onTick = options.onTick;
    this.last = now();
  }

  /** One timer tick: records how late it came. */
  tick(): void {
    const now = this.now();
    const lateness = latenessMs(now - this.last, this.resolutionMs);
    this.last = now;
    this.record(lateness);
    this.onTick?.(lateness);
  }

  /** Starts counting from now, as if the timer had just ticked (when the host's timer is (re)armed). */
  restart(): void {
    this.last = this.now();
  }

  /** The ticks since the previous take (undefined if none), and starts a new interval. */
  take(): EventLoopLateness | undefined {
    const result =
      this.count === 0
        ? undefined
        : { ...latenessOf(this.samples.subarray(0, this.kept))!, count: this.count, max: this.max, mean: this.sum / this.count };
    this.kept = 0;
    this.stride = 1;
    this.skipped = 0;
    this.count = 0;
    this.sum = 0;
    this.max = 0;
    return result;
  }

  private record(lateness: number): void {
    this.count++;
    this.sum += lateness;
    if (lateness > this.max) this.max = lateness;
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    if (this.kept === this.samples.length) {
      // Full: keep every other sample and take only every other one from now on.
      const half = this.kept >> 1;
      for (let i = 0; i < half; i++) this.samples[i] = this.samples[i * 2 + 1]!;
      this.kept = half;
      this.stride *= 2;
    }
    this.samples[this.kept++] = lateness;
  }
}
