/**
 * Findings as text, the same in reports (HTML, Markdown) and `tunebench run`.
 */
import { describeRange, type Finding, type FindingEvidence } from '../../../shared/findings.js';
import { formatValue } from '../studies/report/format.js';

export const SEVERITY_WORDS: Record<Finding['severity'], string> = { problem: 'problem', warning: 'warning', info: 'note' };

export function evidenceText(item: FindingEvidence): string {
  return typeof item.value === 'number' && item.unit ? formatValue(item.value, item.unit) : String(item.value);
}

/** "queue wait p50 25.4 ms · run time p50 2 ms". */
export function evidenceLine(finding: Finding): string {
  return finding.evidence.map((item) => `${item.label} ${evidenceText(item)}`).join(' · ');
}

/** "Sweep threads over 1, 2 (sweep pool.threads: 1, 2)"; "Rerun with 2,000 jobs (rerun with jobs = 2000)". */
export function tryNextText(finding: Finding): string | undefined {
  const next = finding.tryNext;
  if (!next) return undefined;
  if (next.action === 'sweep') {
    const what = [next.axis ? `${next.axis.path}: ${next.axis.values.join(', ')}` : undefined, next.repeats ? `${next.repeats} repeats` : undefined]
      .filter(Boolean)
      .join(', ');
    return `${next.label} (sweep ${what})`;
  }
  const changes = Object.entries(next.patch).map(([path, value]) => `${path} = ${String(value)}`);
  return changes.length ? `${next.label} (rerun with ${changes.join(', ')})` : next.label;
}

/** The report's table of findings: one row each. */
export function findingsTable(findings: readonly Finding[]): { header: string[]; rows: string[][] } {
  return {
    header: ['Severity', 'Finding', 'Numbers', 'When', 'Try next'],
    rows: findings.map((finding) => [
      SEVERITY_WORDS[finding.severity],
      finding.title,
      evidenceLine(finding),
      finding.range ? describeRange(finding.range) : '–',
      tryNextText(finding) ?? '–',
    ]),
  };
}

/** The CLI's lines: the sentence, then its numbers, when and what to try next, indented. */
export function findingsLines(findings: readonly Finding[] | undefined): string[] {
  if (!findings) return [];
  if (!findings.length) return ['findings: nothing stood out'];
  const lines = ['findings:'];
  for (const finding of findings) {
    const mark = finding.severity === 'problem' ? '✗' : finding.severity === 'warning' ? '!' : '·';
    lines.push(`  ${mark} ${SEVERITY_WORDS[finding.severity]}: ${finding.title}`);
    if (finding.evidence.length) lines.push(`      ${evidenceLine(finding)}`);
    const where = [finding.range ? `at ${describeRange(finding.range)}` : undefined, finding.tryNext ? `try next: ${tryNextText(finding)}` : undefined].filter(Boolean);
    if (where.length) lines.push(`      ${where.join('; ')}`);
  }
  return lines;
}
