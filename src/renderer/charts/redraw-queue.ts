/**
 * Chart redraws, one per browser task. Updating one Recharts chart takes tens
 * of milliseconds; a page of six updated in the same React commit is one long
 * task during which the page ignores input. Queued here, each chart redraws
 * in a task of its own, so the browser handles input and paints in between.
 */
import type { Disposer } from '../../shared/contract.js';

export type Redraw = () => void;
/** Runs a callback in a later task (setTimeout in the app; a manual queue in tests). */
export type ScheduleTask = (task: () => void) => void;

const nextTask: ScheduleTask = (task) => {
  setTimeout(task, 0);
};

export class RedrawQueue {
  readonly #pending = new Set<Redraw>();
  readonly #schedule: ScheduleTask;
  #armed = false;

  constructor(schedule: ScheduleTask = nextTask) {
    if (typeof schedule !== 'function') throw new TypeError('RedrawQueue needs a function that schedules a task');
    this.#schedule = schedule;
  }

  /** Redraws waiting for their task. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Queues a redraw; the same function queued again keeps its place. The
   * disposer takes it out if it has not run yet (a chart that unmounts).
   */
  request(redraw: Redraw): Disposer {
    if (typeof redraw !== 'function') throw new TypeError('RedrawQueue.request needs a redraw function');
    this.#pending.add(redraw);
    this.#arm();
    return () => {
      this.#pending.delete(redraw);
    };
  }

  #arm(): void {
    if (this.#armed || this.#pending.size === 0) return;
    this.#armed = true;
    this.#schedule(() => this.#runOne());
  }

  #runOne(): void {
    this.#armed = false;
    const next = this.#pending.values().next();
    if (next.done) return;
    this.#pending.delete(next.value);
    try {
      next.value();
    } finally {
      // A chart that fails to draw must not stall the others.
      this.#arm();
    }
  }
}

/** The queue every chart of the window shares. */
export const chartRedraws = new RedrawQueue();
