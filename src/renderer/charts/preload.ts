/**
 * A module fetched in the background from the moment it is asked for, and
 * evaluated in a task of its own when it arrives. Charts use it for
 * Recharts: a page renders at once, and by the time its data is back the
 * chart code usually is too. (React.lazy would suspend the first render
 * that meets it even then, and React holds a suspended transition back.)
 */
import { startTransition, useEffect, useState } from 'react';
import type { Disposer } from '../../shared/contract.js';
import { chartRedraws } from './redraw-queue.js';

export interface Preloaded<T> {
  /** The loaded value; undefined until it has arrived. */
  readonly value: T | undefined;
  /** Why loading failed, if it did. */
  readonly error: unknown;
  readonly ready: Promise<T>;
}

export function preload<T>(load: () => Promise<T>): Preloaded<T> {
  const entry: { value: T | undefined; error: unknown; ready: Promise<T> } = { value: undefined, error: undefined, ready: undefined! };
  entry.ready = load().then(
    (value) => (entry.value = value),
    (error: unknown) => {
      entry.error = error;
      throw error;
    },
  );
  // Callers read `error`; this keeps the failure out of the unhandled-rejection log.
  entry.ready.catch(() => {});
  return entry;
}

/**
 * The preloaded value for a chart to draw with: undefined until it has
 * arrived and the chart's turn in the redraw queue has come, so the chart
 * mounts in a task after the page around it has been laid out and painted.
 */
export function usePreloadedChart<T>(entry: Preloaded<T>): { value: T | undefined; error: unknown } {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    let current = true;
    let dequeue: Disposer | undefined;
    entry.ready.then(
      () => {
        if (current) dequeue = chartRedraws.request(() => startTransition(() => setSettled(true)));
      },
      () => current && setSettled(true),
    );
    return () => {
      current = false;
      dequeue?.();
    };
  }, [entry]);
  return settled ? { value: entry.value, error: entry.error } : { value: undefined, error: undefined };
}
