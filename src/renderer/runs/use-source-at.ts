import { useMemo } from 'react';
import type { SeriesSource } from './series-source.js';

/**
 * A source as of one version. A live run's series grow in place, so the
 * source object alone does not say its contents changed; this pair does: it
 * is a new object whenever the source or its version changes, and what is
 * computed from it is memoised on it.
 */
export interface SourceAt {
  readonly source: SeriesSource;
  readonly version: number;
}

export function useSourceAt(source: SeriesSource, version: number): SourceAt;
export function useSourceAt(source: SeriesSource | undefined, version: number): SourceAt | undefined;
export function useSourceAt(source: SeriesSource | undefined, version: number): SourceAt | undefined {
  return useMemo(() => (source ? { source, version } : undefined), [source, version]);
}
