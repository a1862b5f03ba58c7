import type { ExportedFile } from '../../shared/studies.js';
import { useAction } from '../app/use-action.js';
import { downloadFile } from '../studies/download.js';
import { ErrorNote } from './ErrorNote.js';

/**
 * A Download button for a file the engine hands over by name (a run's
 * artifact, an inspection's profile): `read` asks for it, the browser saves it,
 * a failure shows under the button.
 */
export function DownloadButton({ file, read }: { file: string; read: () => Promise<ExportedFile> }) {
  const { busy, problem, run } = useAction();
  return (
    <>
      <button type="button" onClick={() => void run(async () => downloadFile(await read()))} disabled={busy} aria-label={`Download ${file}`}>
        {busy ? 'Downloading…' : 'Download'}
      </button>
      {problem && <ErrorNote error={problem} title="Download failed" />}
    </>
  );
}
