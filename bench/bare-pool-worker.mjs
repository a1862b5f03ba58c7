// The minimal piscina worker a user would write by hand for the same two jobs: the bare baseline of bench/pool.bench.mjs.
function fibonacci(n) {
  return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
}

function primes(limit) {
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

export default function bareTask({ name, params }) {
  return name === 'fibonacci' ? fibonacci(params.n) : primes(params.limit).length;
}
