import { useId, useState } from 'react';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';

/** Imports an exported JSON report (runs, a sweep, a comparison's runs); a bad file changes nothing. */
export function ImportButton({ onImported }: { onImported?: () => void }) {
  const { client } = useServices();
  const id = useId();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<{ code?: string; message: string }>();

  const importFile = async (file: File) => {
    setMessage(undefined);
    setError(undefined);
    try {
      const result = await client.call('runs.import', { fileName: file.name, content: await file.text() });
      setMessage(
        `Imported ${result.runs.length} run(s) and ${result.sweeps.length} sweep(s)` +
          (result.skipped.length ? `; ${result.skipped.length} already present` : '') +
          '.',
      );
      onImported?.();
    } catch (thrown) {
      setError(errorOf(thrown));
    }
  };

  return (
    <div className="import-button">
      <label htmlFor={id} className="button-like">
        Import JSON report…
      </label>
      <input
        id={id}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importFile(file);
        }}
      />
      {message && (
        <span role="status" className="muted">
          {' '}
          {message}
        </span>
      )}
      {error && <ErrorNote error={error} title="Import rejected" />}
    </div>
  );
}
