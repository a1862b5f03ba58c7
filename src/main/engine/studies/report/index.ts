import { ExportedFile, REPORT_FILE_FORMAT, REPORT_FILE_MARKER, ReportFile, ReportFormat } from '../../../../shared/studies.js';
import type { Environment } from '../../../../shared/run-record.js';
import { renderCsv } from './csv.js';
import { buildDocument, ReportSubject } from './document.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

export type { ReportSubject } from './document.js';

const MIME: Record<ReportFormat, string> = {
  html: 'text/html;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
};

/** Renders a run, sweep or comparison in one format; the result is the whole file. */
export function renderReport(subject: ReportSubject, format: ReportFormat, exporter: Environment, now = new Date()): ExportedFile {
  const exportedAt = now.toISOString();
  let content: string;
  if (format === 'json') content = JSON.stringify(toReportFile(subject, exportedAt, exporter));
  else if (format === 'csv') content = renderCsv(subject, exportedAt, exporter);
  else {
    const document = buildDocument(subject, exportedAt, exporter);
    content = format === 'html' ? renderHtml(document) : renderMarkdown(document);
  }
  return { fileName: `${baseName(subject)}.${format}`, mimeType: MIME[format], content };
}

export function toReportFile(subject: ReportSubject, exportedAt: string, exporter: Environment): ReportFile {
  const base = {
    tunebench: REPORT_FILE_MARKER,
    format: REPORT_FILE_FORMAT,
    tunebenchVersion: exporter.tunebenchVersion,
    exportedAt,
    environment: exporter,
  } as const;
  switch (subject.type) {
    case 'run':
      return { ...base, type: 'run', run: subject.run };
    case 'sweep':
      return { ...base, type: 'sweep', sweep: subject.sweep, runs: subject.runs };
    case 'comparison':
      return {
        ...base,
        type: 'comparison',
        comparison: subject.comparison,
        baselineRuns: subject.baselineRuns,
        candidateRuns: subject.candidateRuns,
      };
  }
}

function baseName(subject: ReportSubject): string {
  const raw =
    subject.type === 'run'
      ? `tunebench-run-${subject.run.id}`
      : subject.type === 'sweep'
        ? `tunebench-sweep-${subject.sweep.id}`
        : `tunebench-compare-${subject.comparison.baseline.runIds[0]}-vs-${subject.comparison.candidate.runIds[0]}`;
  return raw.replace(/[^\w.-]/g, '_').slice(0, 180);
}
