import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface MainThreadSample {
  /** Event-loop delay of the interval in ms; absent when the loop had no timer tick to measure. */
  eldP50?: number;
  eldP99?: number;
  eldMax?: number;
  /** Event-loop utilisation of the interval, percent. */
  elu: number;
}

const NS_PER_MS = 1e6;
const RESOLUTION_MS = 10;

/**
 * How the workbench's own main thread fares while it drives a pool: if it is
 * saturated, the pool's numbers measure the submitter, not the workers.
 */
export class MainThreadProbe {
  private readonly delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  // A second monitor never reset: Node cannot merge event-loop-delay histograms into another.
  private readonly wholeDelay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly startElu = performance.eventLoopUtilization();
  private lastElu: EventLoopUtilization = this.startElu;

  constructor() {
    this.delay.enable();
    this.wholeDelay.enable();
  }

  /** The interval since the previous call; resets the interval histogram. */
  take(): MainThreadSample {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, this.lastElu).utilization * 100;
    this.lastElu = now;
    if (this.delay.count === 0) return { elu };
    const sample = {
      eldP50: this.delay.percentile(50) / NS_PER_MS,
      eldP99: this.delay.percentile(99) / NS_PER_MS,
      eldMax: this.delay.max / NS_PER_MS,
      elu,
    };
    this.delay.reset();
    return sample;
  }

  /** The whole run so far. */
  overall(): { eldP99?: number; eldMax?: number; elu: number } {
    const elu = performance.eventLoopUtilization(this.lastElu, this.startElu).utilization * 100;
    if (this.wholeDelay.count === 0) return { elu };
    return { eldP99: this.wholeDelay.percentile(99) / NS_PER_MS, eldMax: this.wholeDelay.max / NS_PER_MS, elu };
  }

  dispose(): void {
    this.delay.disable();
    this.wholeDelay.disable();
  }
}
