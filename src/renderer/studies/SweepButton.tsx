import { navigate } from '../app/router.js';
import { sweepBuilderPath } from './sweep-draft.js';

/**
 * "Sweep…" on an experiment page: opens the sweep builder with the page's
 * current settings as the base, so the question ("how many threads?") is
 * asked of exactly the experiment on screen.
 */
export function SweepButton({ spec, page, disabled }: { spec: unknown; page: string; disabled?: boolean }) {
  return (
    <button
      type="button"
      disabled={disabled}
      title="Run these settings over a range of values of one or two of them, with repeats"
      onClick={() => navigate(sweepBuilderPath(spec, `Base: the settings on the ${page} page.`))}
    >
      Sweep…
    </button>
  );
}
