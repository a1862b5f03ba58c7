import { useState } from 'react';
import type { ExportedFile } from '../../shared/studies.js';
import { downloadFile } from '../studies/download.js';
import { ErrorNote, errorOf } from './ErrorNote.js';

/**
 * A Download button for a file the engine hands over by name (a run's
 * artifact, an inspection's profile): `read` asks for it, the browser saves it,
 * a failure shows under the button.
 */
export function DownloadButton({ file, read }: { file: string; read: () => Promise<ExportedFile> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code?: string; message: string }>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      downloadFile(await read());
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} aria-label={`Download ${file}`}>
        {busy ? 'Downloading…' : 'Download'}
      </button>
      {error && <ErrorNote error={error} title="Download failed" />}
    </>
  );
}
