import type { ExportedFile } from '../../../shared/studies.js';
import { readFileInside } from '../safe-path.js';

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
  const { content } = await readFileInside(dir, file, owner, maxBytes);
  const extension = file.split('.').pop() ?? '';
  return { fileName: file, mimeType: MIME_TYPES[extension] ?? 'application/octet-stream', content };
}
