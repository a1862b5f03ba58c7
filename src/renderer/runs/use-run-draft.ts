import { useCallback, useEffect, useRef } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import { applySpecPatch } from '../../shared/findings.js';
import { useCall, type Problem } from '../app/use-call.js';
import { createDraft, useDraft, type DraftStore, type SetDraft } from './drafts.js';
import { HEADER_VIEW } from './run-views.js';

type SavedSpec = CallResponse<'runs.get'>['run']['spec'];

/** What a run page's form holds across visits: the form, and the saved run it reruns (if it was filled from one). */
export interface RunDraft<F> {
  form: F;
  rerunOf: string | undefined;
}

/** A run page's draft, created once at module level so it outlives the page. */
export function createRunDraft<F>(form: F): DraftStore<RunDraft<F>> {
  return createDraft<RunDraft<F>>({ form, rerunOf: undefined });
}

export interface RunPrefill<F> {
  /** The run named by the page's `?from=` (Rerun, Edit and rerun on a saved run). */
  from: string | undefined;
  /** The page's `?patch=`: settings to change in that run's spec (JSON of dotted paths to values: a finding's "Try next"). */
  patch?: string | undefined;
  /**
   * The page's run when it is running and its spec is known (a page opened or
   * reloaded mid-run): the form shows that spec, unless the page was opened
   * with `from` or the form was changed since the page's code loaded.
   */
  running?: { runId: string; status: string; spec: Record<string, unknown> | undefined } | undefined;
  /** The form for that run's spec; `current` is the form as it was (a page may keep what the spec does not say). Module level, so it stays the same function. */
  fromRun: (spec: SavedSpec, current: F) => F;
}

export interface RunDraftState<F> {
  form: F;
  setForm: SetDraft<F>;
  rerunOf: string | undefined;
  setRerunOf: (runId: string | undefined) => void;
  /** Why the run to prefill from could not be read. */
  prefillError: Problem | undefined;
}

/**
 * Every run page keeps its form this way: in a module-level draft, filled
 * from a saved run's spec when the page is opened with `?from=<runId>`. Only
 * the run's header is read (the form needs the spec, not the series). The
 * form is filled once per opening: an answer that comes after the page closed
 * or `from` changed is dropped, and reading it again after a reconnection does
 * not overwrite what the user typed since.
 */
export function useRunDraft<F>(store: DraftStore<RunDraft<F>>, prefill?: RunPrefill<F>): RunDraftState<F> {
  const [draft, setDraft] = useDraft(store);
  const from = prefill?.from;
  const patch = prefill?.patch;
  const fromRun = prefill?.fromRun;
  const saved = useCall('runs.get', from ? { runId: from, display: HEADER_VIEW } : undefined);
  /** The `from` this opening of the page has been filled from. */
  const filledFrom = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!from) {
      filledFrom.current = undefined;
      return;
    }
    const run = saved.data?.run;
    // The same run with other changes (another finding's "Try next") fills the form again.
    const opening = `${from}\n${patch ?? ''}`;
    if (!run || !fromRun || filledFrom.current === opening) return;
    filledFrom.current = opening;
    store.set({ form: fromRun(patchedSpec(run.spec, patch), store.get().form), rerunOf: run.id });
  }, [from, patch, fromRun, saved.data, store]);

  const running = prefill?.running;
  const runningId = running?.status === 'running' && running.spec ? running.runId : undefined;
  const runningSpec = runningId ? running?.spec : undefined;
  /** The running run this opening of the page has filled the form from. */
  const filledRunning = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!runningId || !runningSpec || !fromRun || from || filledRunning.current === runningId) return;
    filledRunning.current = runningId;
    if (store.isInitial()) store.set({ form: fromRun(runningSpec as SavedSpec, store.get().form), rerunOf: undefined });
  }, [runningId, runningSpec, from, fromRun, store]);

  const setForm = useCallback<SetDraft<F>>(
    (next) => setDraft((current) => ({ ...current, form: typeof next === 'function' ? (next as (form: F) => F)(current.form) : next })),
    [setDraft],
  );
  const setRerunOf = useCallback((rerunOf: string | undefined) => setDraft((current) => ({ ...current, rerunOf })), [setDraft]);
  return { form: draft.form, setForm, rerunOf: draft.rerunOf, setRerunOf, prefillError: saved.error };
}

/** A saved run's spec with a `?patch=`'s settings changed; a patch that is not a JSON object of settings changes nothing. */
export function patchedSpec(spec: SavedSpec, patch: string | undefined): SavedSpec {
  if (!patch) return spec;
  try {
    const changes: unknown = JSON.parse(patch);
    if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return spec;
    return applySpecPatch(spec, changes as Record<string, unknown>);
  } catch {
    return spec;
  }
}
