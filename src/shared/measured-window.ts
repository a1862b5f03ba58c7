/**
 * How long a measured window must be to give a figure worth comparing. A
 * shorter one is still recorded, with a warning event ('short-run') that the
 * pages show on the run's timeline: its throughput and percentiles rest on
 * too few items or too little time (a GC pause, a timer tick, a busy
 * neighbour on a shared machine moves them).
 */
export const STABLE_WINDOW_MIN_SEC = 2;
export const STABLE_WINDOW_MIN_ITEMS = 200;

/** The warning for a window too short to give a stable figure, or undefined. `noun` names the items (jobs, requests). */
export function shortWindowWarning(seconds: number, items: number, noun: string): string | undefined {
  const short = seconds < STABLE_WINDOW_MIN_SEC;
  const few = items < STABLE_WINDOW_MIN_ITEMS;
  if (!short && !few) return undefined;
  const what = [short ? `${+seconds.toFixed(2)} s` : undefined, few ? `${items} ${noun}` : undefined].filter(Boolean).join(' and ');
  return (
    `measured window too short for a stable figure: ${what} ` +
    `(at least ${STABLE_WINDOW_MIN_SEC} s and ${STABLE_WINDOW_MIN_ITEMS} ${noun} are needed); run longer or more ${noun}`
  );
}
