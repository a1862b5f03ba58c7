/** Sieve of Eratosthenes: every prime ≤ limit, ascending. */
export function primes(limit: number): Uint32Array {
  const composite = new Uint8Array(limit + 1);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    for (let multiple = i * i; multiple <= limit; multiple += i) composite[multiple] = 1;
  }
  const found = new Uint32Array(count);
  let next = 0;
  for (let i = 2; i <= limit; i++) if (!composite[i]) found[next++] = i;
  return found;
}
