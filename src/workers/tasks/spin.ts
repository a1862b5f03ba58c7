/** Busy-waits (never sleeps) for ms: a job whose cost is known, for calibrating a pool's overhead. */
export function spin(ms: number): number {
  const until = performance.now() + ms;
  let iterations = 0;
  while (performance.now() < until) iterations++;
  return iterations;
}
