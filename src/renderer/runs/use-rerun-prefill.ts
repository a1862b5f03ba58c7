import { useEffect } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import { useServices } from '../app/services.js';
import { errorOf } from '../components/ErrorNote.js';
import { useDraftState } from './use-draft-state.js';
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

/**
 * A one-form page's draft and rerun link, filled from `?from=` when present.
 * The draft object lives at module level on the page so it outlives the page.
 */
export function useFormDraft<F>(
  draft: { form: F; rerunOf: string | undefined },
  prefillFrom: string | undefined,
  formFromSpec: (spec: SavedRun['spec']) => F,
  onError: (error: { code?: string; message: string }) => void,
) {
  const [form, setForm] = useDraftState(draft, 'form');
  const [rerunOf, setRerunOf] = useDraftState(draft, 'rerunOf');
  useRerunPrefill(
    prefillFrom,
    (saved) => {
      setForm(formFromSpec(saved.spec));
      setRerunOf(saved.id);
    },
    onError,
  );
  return { form, setForm, rerunOf, setRerunOf };
}
