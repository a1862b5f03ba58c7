import { useState } from 'react';
import type { ExternalEngine, LoadExport } from '../../shared/external.js';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { downloadFile } from '../studies/download.js';
import '../studies/studies.css';

const ENGINES: Array<[ExternalEngine, string]> = [
  ['k6', 'k6 script'],
  ['artillery', 'Artillery script'],
];

/**
 * The load spec as a script for k6 or Artillery, to run on many machines
 * (docs/scale-out.md): the engine writes it, the browser downloads it, and
 * the notes say what the other engine runs differently and what it cannot express.
 */
export function ExportScriptButtons({ spec, disabled }: { spec: Record<string, unknown>; disabled: boolean }) {
  const { client } = useServices();
  const [busy, setBusy] = useState<ExternalEngine>();
  const [error, setError] = useState<{ code?: string; message: string }>();
  const [exported, setExported] = useState<{ engine: ExternalEngine; file: LoadExport }>();

  const exportTo = async (engine: ExternalEngine) => {
    setBusy(engine);
    setError(undefined);
    try {
      const file = await client.call('load.export', { spec, engine });
      downloadFile(file);
      setExported({ engine, file });
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="export-buttons" role="group" aria-label="Export the load as a script">
      <span className="muted">Export for many machines:</span>
      {ENGINES.map(([engine, label]) => (
        <button key={engine} type="button" onClick={() => void exportTo(engine)} disabled={disabled || busy !== undefined}>
          {busy === engine ? '…' : label}
        </button>
      ))}
      {error && <ErrorNote error={error} title="Export failed" />}
      {exported && (
        <details className="export-notes" open>
          <summary>
            {exported.file.fileName}: what runs differently on {exported.engine === 'k6' ? 'k6' : 'Artillery'}
          </summary>
          <ul>
            {exported.file.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
