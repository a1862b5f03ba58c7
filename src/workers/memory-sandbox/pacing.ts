/** Pacing shared by the scenarios: work at a steady rate, and CPU work of a set length. */

const TICK_MS = 10;

/**
 * Calls `step` rate times per second, spread over 10 ms ticks. What is owed
 * follows the clock, not the tick count, so a tick delayed by a blocked loop
 * catches up (fractions carry over).
 */
export function atRate(rate: number, step: () => void): () => void {
  let owed = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    // At most a second's worth at once: a long pause (a heap snapshot) must not become a burst.
    owed = Math.min(owed + (rate * (now - last)) / 1_000, Math.max(1, rate));
    last = now;
    while (owed >= 1) {
      owed -= 1;
      step();
    }
  }, TICK_MS);
  return () => clearInterval(timer);
}

/** Keeps the thread busy for ms: the CPU task of the cpu scenarios. */
export function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}
