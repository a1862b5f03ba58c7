import { promises as fs } from 'node:fs';
import { TunebenchError } from '../../../shared/errors.js';
import type { ExportedFile } from '../../../shared/studies.js';
import { pathInside } from '../safe-path.js';

const MIME_TYPES: Record<string, string> = {
  heapsnapshot: 'application/json',
  cpuprofile: 'application/json',
  heapprofile: 'application/json',
};

/**
 * One file an inspection wrote (heap snapshot, CPU or allocation profile), by
 * its name in its folder: a run's folder while the run is still going or after
 * it, or the data directory's runtime folder for the workbench's own process
 * and attached ones. Never a path from the caller; larger than maxBytes stays on disk.
 */
export async function readInspectionFile(dir: string, file: string, owner: string, maxBytes: number): Promise<ExportedFile> {
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
  const extension = file.split('.').pop() ?? '';
  return { fileName: file, mimeType: MIME_TYPES[extension] ?? 'application/octet-stream', content: await fs.readFile(full, 'utf8') };
}
