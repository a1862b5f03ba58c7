import { useState } from 'react';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { downloadFile } from '../studies/download.js';

/** Downloads one file of a saved run; the engine finds it by name in the run's artifact list. */
export function ArtifactDownload({ runId, file }: { runId: string; file: string }) {
  const { client } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code?: string; message: string }>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      downloadFile(await client.call('runs.artifact', { runId, file }));
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} aria-label={`Download ${file}`}>
        {busy ? '…' : 'Download'}
      </button>
      {error && <ErrorNote error={error} title="Download failed" />}
    </>
  );
}
