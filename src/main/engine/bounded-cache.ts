import { TunebenchError } from '../../shared/errors.js';

interface Entry<V> {
  version: string;
  value: V;
  bytes: number;
}

/**
 * Values by key and version, least recently used first out once their sizes
 * add up to more than `maxBytes`. A value asked for under another version
 * (its file changed on disk) is a miss. A value bigger than the whole budget
 * is not kept.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'cache size', rule: `a whole number of bytes, 0 or more (got ${maxBytes})` });
    }
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, version: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version) {
      this.delete(key);
      return undefined;
    }
    // Re-inserted at the end: the Map's order is the eviction order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, version: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { version, value, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
