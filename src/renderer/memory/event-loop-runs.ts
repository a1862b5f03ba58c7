/**
 * The Event Loop page's runs are memory runs of the cpu-main and cpu-pool
 * scenarios it names itself ("event loop: 50 ms task on the main thread"), so
 * it shows its own runs only and the Memory page leaves them out.
 */
export const EVENT_LOOP_NAME_PREFIX = 'event loop: ';

export type Placement = 'cpu-main' | 'cpu-pool';

export function isEventLoopRun(run: { name: string }): boolean {
  return run.name.startsWith(EVENT_LOOP_NAME_PREFIX);
}

export function eventLoopRunName(placement: Placement, taskMs: string): string {
  return `${EVENT_LOOP_NAME_PREFIX}${taskMs} ms task ${placement === 'cpu-main' ? 'on the main thread' : 'on the pool'}`;
}

/** Where an Event Loop run's task ran, from its name; undefined for another run. */
export function placementOf(run: { name: string }): Placement | undefined {
  if (!isEventLoopRun(run)) return undefined;
  if (run.name.endsWith('on the main thread')) return 'cpu-main';
  if (run.name.endsWith('on the pool')) return 'cpu-pool';
  return undefined;
}
