import { useEffect } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import { useServices } from '../app/services.js';
import { errorOf } from '../components/ErrorNote.js';
import { HEADER_VIEW } from './run-views.js';

type SavedRun = CallResponse<'runs.get'>['run'];

/**
 * Loads the run named by a page's `?from=` for a rerun. Only the header is
 * fetched: the form needs the spec, not the series. A reply that arrives after
 * the page unmounted or `from` changed is dropped so it cannot overwrite newer
 * typing.
 */
export function useRerunPrefill(
  prefillFrom: string | undefined,
  apply: (saved: SavedRun) => void,
  onError: (error: { code?: string; message: string }) => void,
): void {
  const { client } = useServices();
  useEffect(() => {
    if (!prefillFrom) return;
    let current = true;
    client.call('runs.get', { runId: prefillFrom, display: HEADER_VIEW }).then(
      ({ run }) => {
        if (!current) return;
        apply(run);
      },
      (thrown: unknown) => current && onError(errorOf(thrown)),
    );
    return () => {
      current = false;
    };
  }, [client, prefillFrom]);
}
