import { useCallback, useSyncExternalStore } from 'react';

/**
 * A value kept outside React: what a user typed on a page survives a visit
 * to another page (React state dies with the unmounted page). A page creates
 * its draft at module level and reads it with `useDraft`.
 */
export interface DraftStore<T> {
  get(): T;
  set(next: T): void;
  subscribe(listener: () => void): () => void;
  /** Whether it still holds the value it was created with (nobody has typed into the form since the page's code loaded). */
  isInitial(): boolean;
}

export function createDraft<T>(initial: T): DraftStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    isInitial: () => value === initial,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type SetDraft<T> = (next: T | ((current: T) => T)) => void;

/** A draft's value, re-rendering the caller when it changes, and its setter. */
export function useDraft<T>(store: DraftStore<T>): [T, SetDraft<T>] {
  const value = useSyncExternalStore(store.subscribe, store.get);
  const set = useCallback<SetDraft<T>>(
    (next) => store.set(typeof next === 'function' ? (next as (current: T) => T)(store.get()) : next),
    [store],
  );
  return [value, set];
}
