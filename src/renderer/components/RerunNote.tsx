import { href } from '../app/router.js';

/** Says which saved run the form was filled from, and lets the user drop that link before starting. */
export function RerunNote({ rerunOf, onClear }: { rerunOf: string | undefined; onClear(): void }) {
  if (!rerunOf) return null;
  return (
    <span className="muted">
      Editing a rerun of <a href={href(`/runs/${rerunOf}`)}>{rerunOf}</a>{' '}
      <button type="button" className="link" onClick={onClear}>
        start fresh
      </button>
    </span>
  );
}
