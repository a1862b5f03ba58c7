import { useCallback, useState } from 'react';
import { errorOf } from '../components/ErrorNote.js';
import type { Problem } from './use-call.js';

export interface ActionState<K extends string> {
  /** Which action is in flight ('busy' when the caller does not name them), or undefined. */
  pending: K | undefined;
  busy: boolean;
  /** Why the last action failed, until the next one starts. */
  problem: Problem | undefined;
  /** Runs one action: pending while it goes, its failure kept as `problem` (never thrown). */
  run: (action: () => Promise<void>, kind?: K) => Promise<void>;
}

/**
 * The state of a button's call (start, delete, download …): what is in flight,
 * so buttons can be disabled, and why it failed, to show under them. One
 * place for what every page wrote as its own busy flag, error and try/finally.
 */
export function useAction<K extends string = 'busy'>(): ActionState<K> {
  const [pending, setPending] = useState<K>();
  const [problem, setProblem] = useState<Problem>();
  const run = useCallback(async (action: () => Promise<void>, kind?: K) => {
    setPending(kind ?? ('busy' as K));
    setProblem(undefined);
    try {
      await action();
    } catch (thrown) {
      setProblem(errorOf(thrown));
    } finally {
      setPending(undefined);
    }
  }, []);
  return { pending, busy: pending !== undefined, problem, run };
}
