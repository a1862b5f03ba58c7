import { useState } from 'react';

/**
 * State that also writes through to a module-level draft, so what the user
 * typed on a page survives a visit to another page (React state alone dies
 * with the unmounted page).
 */
export function useDraftState<D extends object, K extends keyof D>(draft: D, key: K): [D[K], (next: D[K]) => void] {
  const [value, setValue] = useState(draft[key]);
  const set = (next: D[K]) => {
    draft[key] = next;
    setValue(() => next);
  };
  return [value, set];
}
