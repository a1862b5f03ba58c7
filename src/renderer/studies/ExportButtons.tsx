import { useState } from 'react';
import type { ReportFormat, ReportTarget } from '../../shared/studies.js';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { downloadFile } from './download.js';
import './studies.css';

const FORMATS: Array<[ReportFormat, string]> = [
  ['html', 'HTML'],
  ['md', 'Markdown'],
  ['csv', 'CSV'],
  ['json', 'JSON'],
];

/** One button per report format; the engine renders the file and the browser downloads it. */
export function ExportButtons({ target, what }: { target: ReportTarget; what: string }) {
  const { client } = useServices();
  const [busy, setBusy] = useState<ReportFormat>();
  const [error, setError] = useState<{ code?: string; message: string }>();

  const exportAs = async (format: ReportFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      downloadFile(await client.call('report.export', { target, format }));
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="export-buttons" role="group" aria-label={`Export ${what}`}>
      <span className="muted">Export:</span>
      {FORMATS.map(([format, label]) => (
        <button key={format} type="button" onClick={() => void exportAs(format)} disabled={busy !== undefined} aria-label={`Export ${what} as ${label}`}>
          {busy === format ? '…' : label}
        </button>
      ))}
      {error && <ErrorNote error={error} title="Export failed" />}
    </div>
  );
}
