import { TunebenchError } from '../../../../shared/errors.js';

export interface ReadThroughCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/**
 * A read-through cache with a TTL and a size limit (least recently used goes
 * first). Concurrent misses for one key share a single load, so a hot key
 * sends one query, not one per waiting caller.
 */
export class ReadThroughCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly loading = new Map<K, Promise<V>>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly options: ReadThroughCacheOptions) {
    if (!(options.ttlMs > 0)) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'ttlMs', rule: `greater than 0; got ${String(options.ttlMs)}` });
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'maxEntries', rule: `an integer >= 1; got ${String(options.maxEntries)}` });
    }
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const now = performance.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      this.hits += 1;
      // Re-inserting moves the key to the end: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    if (entry) this.entries.delete(key);
    const pending = this.loading.get(key);
    if (pending) {
      this.hits += 1;
      return pending;
    }
    this.misses += 1;
    const promise = load().then(
      (value) => {
        this.loading.delete(key);
        this.entries.set(key, { value, expiresAt: performance.now() + this.options.ttlMs });
        if (this.entries.size > this.options.maxEntries) {
          this.entries.delete(this.entries.keys().next().value as K);
        }
        return value;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  counters(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }
}
