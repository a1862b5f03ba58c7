/** Deliberately the naive recursion: its cost grows ~1.6× per step of n, which makes it a tunable CPU load. */
export function fibonacci(n: number): number {
  return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
}
