/**
 * mulberry32: a tiny seeded PRNG, so a task's input (and so its checksum) is
 * the same on every machine and every run for a given seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** FNV-1a over bytes: a cheap, order-sensitive fingerprint of a task's output. */
export function fnv1a(bytes: Uint8Array | Uint8ClampedArray): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
