import * as hdr from 'hdr-histogram-js';
import type { LatencyPercentiles } from '../../shared/cluster-protocol.js';
import { OrderedReservoir } from '../../shared/ordered-reservoir.js';
import { xorshift32 } from '../../shared/random.js';

/** Latencies are recorded in microseconds: 3 significant digits from 1 µs to an hour. */
const HIGHEST_US = 3_600_000_000;

export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3 });
}

export function recordMs(histogram: hdr.Histogram, ms: number): void {
  histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
}

export function percentilesMs(histogram: hdr.Histogram): LatencyPercentiles {
  if (histogram.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const at = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: histogram.maxValue / 1000,
    mean: histogram.mean / 1000,
  };
}

/** Keeps a uniform sample of at most `size` values (for compare's resampling), in arrival order. */
export class Reservoir {
  private readonly sample: OrderedReservoir;

  constructor(size: number) {
    this.sample = new OrderedReservoir(size, xorshift32(0x2545f491));
  }

  add(value: number): void {
    this.sample.add(value);
  }

  /** The kept values in the order they arrived: compare resamples blocks of consecutive requests. */
  get values(): number[] {
    return this.sample.ordered();
  }
}
