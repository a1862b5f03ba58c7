import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { EVENT_LOOP_RESOLUTION_MS, LatenessSampler } from '../../../../shared/event-loop-delay.js';
import { LatencyHistogram } from '../../../../node/stats/latency-histogram.js';

export interface MainThreadSample {
  /** Event-loop delay (lateness) of the interval in ms; absent when the loop had no timer tick to measure. */
  eldP50?: number;
  eldP99?: number;
  eldMax?: number;
  /** Event-loop utilisation of the interval, percent. */
  elu: number;
}

/**
 * How the workbench's own main thread fares while it drives a pool: if it is
 * saturated, the pool's numbers measure the submitter, not the workers.
 * Event-loop delay is a timer's lateness (shared/event-loop-delay.ts): about
 * 0 on an idle loop, and no tick is lost between intervals.
 */
export class MainThreadProbe {
  // Every tick since restartOverall(), for the whole run's percentiles.
  private readonly whole = new LatencyHistogram();
  private readonly sampler = new LatenessSampler(EVENT_LOOP_RESOLUTION_MS, () => performance.now(), {
    onTick: (lateness) => this.whole.recordMs(lateness),
  });
  private readonly timer: NodeJS.Timeout;
  private startElu = performance.eventLoopUtilization();
  private lastElu: EventLoopUtilization = this.startElu;

  constructor() {
    this.timer = setInterval(() => this.sampler.tick(), EVENT_LOOP_RESOLUTION_MS);
    this.timer.unref();
  }

  /** The whole-run figures count from the last take() on (call it right after one: the measured window starts). */
  restartOverall(): void {
    this.whole.reset();
    this.startElu = this.lastElu;
  }

  /** The interval since the previous call. */
  take(): MainThreadSample {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, this.lastElu).utilization * 100;
    this.lastElu = now;
    const delay = this.sampler.take();
    if (!delay) return { elu };
    return { eldP50: delay.p50, eldP99: delay.p99, eldMax: delay.max, elu };
  }

  /** The whole run so far (since restartOverall): delay up to now, utilisation up to the last take(). */
  overall(): { eldP99?: number; eldMax?: number; elu: number } {
    const elu = performance.eventLoopUtilization(this.lastElu, this.startElu).utilization * 100;
    if (this.whole.count === 0) return { elu };
    return { eldP99: this.whole.percentileMs(99), eldMax: this.whole.maxMs, elu };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.whole.destroy();
  }
}
