import type { ComparisonRow } from '../../../../shared/studies.js';
import type { Unit } from '../../../../shared/metrics.js';
import { labelWithKey } from '../../../../shared/headline-names.js';

/** Three significant digits, thousands grouped: enough to read, few enough to scan. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return '–';
  if (unit === 'ratio') return `${formatNumber(value * 100)} %`;
  if (unit === 'percent') return `${formatNumber(value)} %`;
  if (unit === 'count') return formatNumber(value);
  if (unit === '×') return `${formatNumber(value)}×`;
  return `${formatNumber(value)} ${unit}`;
}

export function formatSignedPct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 1 : 0)} %`;
}

export { formatDuration } from '../../../../shared/format-duration.js';

export const COMPARISON_HEADER = ['Metric', 'Baseline', 'Candidate', 'Δ', 'Δ %', '95% CI of Δ %', 'Basis', 'Verdict'];

/** One comparison row as display cells, shared by the terminal, Markdown and HTML tables. */
export function comparisonCells(row: ComparisonRow): string[] {
  const interval = row.relCi
    ? `${formatSignedPct(row.relCi.low)} … ${formatSignedPct(row.relCi.high)}`
    : row.ci
      ? `${formatValue(row.ci.low, row.unit)} … ${formatValue(row.ci.high, row.unit)}`
      : '–';
  const basis = row.basis === 'none' ? 'no interval' : `${row.basis} (n=${row.n.baseline}/${row.n.candidate})`;
  return [
    labelWithKey(row.metric, row.label),
    formatValue(row.baseline, row.unit),
    formatValue(row.candidate, row.unit),
    row.diff === null ? '–' : `${row.diff > 0 ? '+' : ''}${formatValue(row.diff, row.unit)}`,
    formatSignedPct(row.relDiff),
    interval,
    basis,
    // A per-item interval sees one run's own noise only (see INDICATIVE_LABEL).
    row.basis === 'per-item' && row.significant ? `${VERDICT_TEXT[row.verdict]} (indicative)` : VERDICT_TEXT[row.verdict],
  ];
}

export const VERDICT_TEXT: Record<ComparisonRow['verdict'], string> = {
  better: 'better',
  worse: 'WORSE',
  changed: 'changed',
  'no-difference': 'no significant difference',
  'insufficient-data': 'not enough data',
  inconclusive: 'inconclusive (busy machine)',
};

/** A plain aligned text table for terminals. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
