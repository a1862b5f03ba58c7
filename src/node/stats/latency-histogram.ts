/**
 * The one latency histogram of Tunebench (HDR, hdr-histogram-js): pool job
 * wait and run times, the engine's main-thread event-loop delay, the load
 * generator's request latencies and its own figures, database query and
 * acquire times. Every one of them is recorded the same way, so a p99 means
 * the same thing in every kind, in compare and in reports.
 *
 * Unit: values go in and come out in milliseconds; inside they are whole
 * microseconds (sub-millisecond queries and requests on 127.0.0.1 are common).
 *
 * Precision: 3 significant digits. Any recorded value reads back within 0.1 %
 * of itself at every magnitude (12.34 ms is 12.34 ms ± 0.012, 1.234 s is
 * ± 1.2 ms). Compare calls differences of a few per cent, reports print
 * milliseconds to 3 decimals, so 2 digits (1 %) would be visible in both;
 * 4 digits would cost 10× the memory for nothing a run's noise does not
 * swamp. Recording costs the same at any precision.
 *
 * Bounds: lowest discernible value 1 µs (values are rounded to whole
 * microseconds; below 0.5 µs, and negative values, which a cross-thread clock
 * can give, record as 0); highest trackable value 1 hour (3,600,000,000 µs):
 * longer values record as 1 hour. The histogram starts small and grows to the
 * largest value seen (at most about 90 KB at the 1-hour end), so a histogram
 * per interval or per query stays cheap. The count, maximum and mean are kept
 * exactly beside it, from the values as given.
 *
 * Percentiles are HDR's: the highest value equivalent, at this precision, to
 * the recorded value at that rank (so within 0.1 % above it).
 */
import * as hdr from 'hdr-histogram-js';

export const LATENCY_SIGNIFICANT_DIGITS = 3;
export const LATENCY_LOWEST_DISCERNIBLE_US = 1;
export const LATENCY_HIGHEST_TRACKABLE_US = 3_600_000_000;
const US_PER_MS = 1_000;

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: LATENCY_LOWEST_DISCERNIBLE_US,
    // Grown on demand up to the clamp below (autoResize), so an empty histogram is small.
    highestTrackableValue: 2,
    autoResize: true,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
  });
  private exactCount = 0;
  private sumMs = 0;
  private maxValueMs = 0;

  /** Records one value in milliseconds. */
  recordMs(ms: number): void {
    const value = ms > 0 ? ms : 0;
    this.histogram.recordValue(Math.min(LATENCY_HIGHEST_TRACKABLE_US, Math.round(value * US_PER_MS)));
    this.exactCount += 1;
    this.sumMs += value;
    if (value > this.maxValueMs) this.maxValueMs = value;
  }

  get count(): number {
    return this.exactCount;
  }

  /** The value at a percentile (0–100) in milliseconds; 0 when nothing was recorded. */
  percentileMs(percentile: number): number {
    return this.exactCount ? this.histogram.getValueAtPercentile(percentile) / US_PER_MS : 0;
  }

  /** The largest value recorded, exactly; 0 when nothing was. */
  get maxMs(): number {
    return this.maxValueMs;
  }

  /** The mean of the values recorded, exactly; 0 when nothing was. */
  get meanMs(): number {
    return this.exactCount ? this.sumMs / this.exactCount : 0;
  }

  /** Adds another histogram's values to this one. */
  add(other: LatencyHistogram): void {
    if (other.exactCount === 0) return;
    this.histogram.add(other.histogram);
    this.exactCount += other.exactCount;
    this.sumMs += other.sumMs;
    if (other.maxValueMs > this.maxValueMs) this.maxValueMs = other.maxValueMs;
  }

  /** Forgets every value. */
  reset(): void {
    this.histogram.reset();
    this.exactCount = 0;
    this.sumMs = 0;
    this.maxValueMs = 0;
  }

  destroy(): void {
    this.histogram.destroy();
  }
}
