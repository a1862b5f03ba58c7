import { LatencyHistogram } from '../../../../node/stats/latency-histogram.js';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/**
 * Per-job latencies of one measure (queue wait, run time). Recording is a
 * typed-array store, the cheapest thing per job; each sample interval sorts
 * its own values exactly and folds them into the whole run's latency
 * histogram (node/stats/latency-histogram.ts: 3 significant digits, 1 µs to
 * 1 hour), so memory stays bounded on a million jobs.
 */
export class LatencyStats {
  private pending = new Float64Array(1024);
  private pendingCount = 0;
  private readonly whole = new LatencyHistogram();

  record(ms: number): void {
    if (this.pendingCount === this.pending.length) {
      const grown = new Float64Array(this.pending.length * 2);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[this.pendingCount++] = ms;
  }

  /** Exact percentiles of the values since the previous call (undefined if none). */
  takeInterval(): Percentiles | undefined {
    const count = this.pendingCount;
    if (count === 0) return undefined;
    const sorted = this.pending.subarray(0, count).sort();
    for (let i = 0; i < count; i++) this.whole.recordMs(sorted[i]!);
    this.pendingCount = 0;
    return { p50: rank(sorted, 0.5), p95: rank(sorted, 0.95), p99: rank(sorted, 0.99), max: sorted[count - 1]!, count };
  }

  /** Forgets what was folded in so far (the warm-up ended): overall() covers what comes next. Call takeInterval first. */
  restartOverall(): void {
    this.whole.reset();
  }

  /** Percentiles of every value folded in so far (call takeInterval first to include the latest). */
  overall(): Percentiles | undefined {
    const count = this.whole.count;
    if (count === 0) return undefined;
    const at = (percentile: number) => this.whole.percentileMs(percentile);
    return { p50: at(50), p95: at(95), p99: at(99), max: this.whole.maxMs, count };
  }

  dispose(): void {
    this.whole.destroy();
  }
}

/** Nearest-rank percentile of an ascending array. */
function rank(sorted: Float64Array, fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}
