import { promises as fs } from 'node:fs';
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

/**
 * A file named by `file` directly inside `dir` (pathInside: never a path from
 * the caller), read whole only when it is at most `maxBytes`: a run's artifact
 * or an inspection's profile. TB_ARTIFACT_NOT_FOUND names `owner` (a run id,
 * or where the file was looked for); a larger file stays on disk and
 * TB_ARTIFACT_TOO_LARGE says where.
 */
export async function readFileInside(dir: string, file: string, owner: string, maxBytes: number): Promise<{ path: string; content: string }> {
  const full = pathInside(dir, file, '', 'artifact');
  const stats = await fs.stat(full).catch(() => undefined);
  if (!stats?.isFile()) throw new TunebenchError('TB_ARTIFACT_NOT_FOUND', { runId: owner, file });
  if (stats.size > maxBytes) {
    throw new TunebenchError('TB_ARTIFACT_TOO_LARGE', {
      file,
      mb: Math.ceil(stats.size / 1024 / 1024),
      limitMb: Math.floor(maxBytes / 1024 / 1024),
      path: full,
    });
  }
  return { path: full, content: await fs.readFile(full, 'utf8') };
}
