import { describe, expect, it } from 'vitest';
import { runTask } from '../src/workers/tasks/index.js';

describe('pool tasks against known answers', () => {
  it('primes up to 1,000,000: 78498 of them, the largest 999983', () => {
    expect(runTask('primes', { limit: 1_000_000 })).toEqual({ count: 78498, largest: 999983 });
  });

  it('primes at the edges: 2 is the first prime', () => {
    expect(runTask('primes', { limit: 2 })).toEqual({ count: 1, largest: 2 });
    expect(runTask('primes', { limit: 10 })).toEqual({ count: 4, largest: 7 });
  });

  it('fibonacci(30) = 832040, fibonacci(0) = 0, fibonacci(1) = 1', () => {
    expect(runTask('fibonacci', { n: 30 })).toEqual({ value: 832040 });
    expect(runTask('fibonacci', { n: 0 })).toEqual({ value: 0 });
    expect(runTask('fibonacci', { n: 1 })).toEqual({ value: 1 });
  });

  it('matrixMultiply is deterministic by seed and differs between seeds', () => {
    const first = runTask('matrixMultiply', { size: 40, seed: 7 });
    expect(runTask('matrixMultiply', { size: 40, seed: 7 })).toEqual(first);
    expect(runTask('matrixMultiply', { size: 40, seed: 8 })).not.toEqual(first);
    expect(first.size).toBe(40);
    // Entries of both factors lie in [0, 1), so each product entry lies in [0, size).
    expect(first.checksum).toBeGreaterThan(0);
    expect(first.checksum).toBeLessThan(40 * 40 * 40);
  });

  it('matrixMultiply of 1×1 matrices: the trace is the one entry, so equals the checksum', () => {
    const single = runTask('matrixMultiply', { size: 1, seed: 3 });
    expect(single.trace).toBe(single.checksum);
  });

  it('blur keeps the image size and is deterministic by seed', () => {
    const first = runTask('blur', { width: 33, height: 17, seed: 5 });
    expect(first).toMatchObject({ width: 33, height: 17 });
    expect(runTask('blur', { width: 33, height: 17, seed: 5 })).toEqual(first);
    expect(runTask('blur', { width: 33, height: 17, seed: 6 }).checksum).not.toBe(first.checksum);
  });

  it('blur works on a 1×1 image (no neighbours at all)', () => {
    expect(runTask('blur', { width: 1, height: 1, seed: 1 })).toMatchObject({ width: 1, height: 1 });
  });

  it('spin reports the milliseconds it was asked to busy-wait', () => {
    expect(runTask('spin', { ms: 1 })).toEqual({ ms: 1 });
  });
});
