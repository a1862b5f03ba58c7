import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/main/engine/bounded-cache.js';

describe('BoundedCache', () => {
  it('keeps values by key and version and drops the least recently used beyond its byte budget', () => {
    const cache = new BoundedCache<string>(100);
    cache.set('a', 'v1', 'A', 40);
    cache.set('b', 'v1', 'B', 40);
    expect(cache.get('a', 'v1')).toBe('A');
    cache.set('c', 'v1', 'C', 40);
    // b was used least recently: a was read after b was stored.
    expect(cache.get('b', 'v1')).toBeUndefined();
    expect(cache.get('a', 'v1')).toBe('A');
    expect(cache.get('c', 'v1')).toBe('C');
    expect(cache.bytes).toBe(80);
  });

  it('misses and forgets a value asked for under another version', () => {
    const cache = new BoundedCache<string>(100);
    cache.set('a', 'v1', 'A', 10);
    expect(cache.get('a', 'v2')).toBeUndefined();
    expect(cache.get('a', 'v1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not keep a value bigger than the whole budget, and a budget of 0 keeps nothing', () => {
    const cache = new BoundedCache<string>(100);
    cache.set('big', 'v1', 'X', 101);
    expect(cache.get('big', 'v1')).toBeUndefined();
    const off = new BoundedCache<string>(0);
    off.set('a', 'v1', 'A', 1);
    expect(off.size).toBe(0);
  });

  it('names a bad budget', () => {
    expect(() => new BoundedCache(-1)).toThrow('cache size must be a whole number of bytes, 0 or more (got -1)');
    expect(() => new BoundedCache(1.5)).toThrow('cache size must be a whole number of bytes, 0 or more (got 1.5)');
  });
});
