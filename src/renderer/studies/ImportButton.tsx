import { useId, useState } from 'react';
import { describeImport, MAX_IMPORT_BYTES } from '../../shared/studies.js';
import { looksLikeSpecFile } from '../../shared/specs/spec-file.js';
import { navigate } from '../app/router.js';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { sweepBuilderPath } from './sweep-draft.js';

/**
 * Imports an exported JSON report (runs, a sweep, a comparison's runs); a bad
 * file changes nothing. A spec file (one experiment or a sweep) is not a
 * report: it opens in the sweep builder instead.
 */
export function ImportButton({ onImported }: { onImported?: () => void }) {
  const { client } = useServices();
  const id = useId();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<{ code?: string; message: string }>();

  const importFile = async (file: File) => {
    setMessage(undefined);
    setError(undefined);
    try {
      // Refused by its size, before the browser reads it whole.
      if (file.size > MAX_IMPORT_BYTES) {
        setError({ code: 'TB_IMPORT_INVALID', message: `Cannot import ${file.name}: larger than the import limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB` });
        return;
      }
      const content = await file.text();
      const spec = specFileContent(content);
      if (spec !== undefined) {
        navigate(sweepBuilderPath(spec, `Opened from the spec file ${file.name}.`));
        return;
      }
      const result = await client.call('runs.import', { fileName: file.name, content });
      setMessage(describeImport(result));
      onImported?.();
    } catch (thrown) {
      setError(errorOf(thrown));
    }
  };

  return (
    <div className="import-button">
      <label htmlFor={id} className="button-like">
        Import report or spec…
      </label>
      <input
        id={id}
        type="file"
        accept="application/json,.json,.ndjson,.jsonl"
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

/** Spec files are small; reports can be hundreds of megabytes, not worth parsing twice. */
const MAX_SPEC_FILE_CHARS = 4 * 1024 * 1024;

/** The parsed content when the file is a spec file; reports, run records and broken files go to the engine's import, which names what is wrong. */
function specFileContent(content: string): unknown {
  if (content.length > MAX_SPEC_FILE_CHARS) return undefined;
  try {
    const json: unknown = JSON.parse(content);
    return looksLikeSpecFile(json) ? json : undefined;
  } catch {
    return undefined;
  }
}
