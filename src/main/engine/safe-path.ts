import path from 'node:path';
import { TunebenchError } from '../../shared/errors.js';
import { idProblem } from '../../shared/ids.js';

/** How an id is quoted in an error: bounded and with control characters escaped, since it may come from a hostile file. */
export function quoteId(id: unknown): string {
  const text = typeof id === 'string' ? id : String(id);
  const escaped = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text).slice(1, -1);
  return escaped;
}

/**
 * The path of `id + suffix` directly inside `dir`. The id must be a safe id
 * (src/shared/ids.ts) and the resolved path must sit in `dir` itself, not below
 * or above it; otherwise TB_INVALID_ID and nothing is touched. Schemas already
 * refuse such ids at every boundary: this is the second wall, at the place the
 * path is built.
 */
export function pathInside(dir: string, id: string, suffix = '', what = 'run'): string {
  const problem = idProblem(id);
  if (problem) throw new TunebenchError('TB_INVALID_ID', { what, id: quoteId(id), detail: problem });
  const folder = path.resolve(dir);
  const full = path.resolve(folder, `${id}${suffix}`);
  if (path.dirname(full) !== folder) {
    throw new TunebenchError('TB_INVALID_ID', { what, id: quoteId(id), detail: `its path would leave ${folder}` });
  }
  return full;
}
