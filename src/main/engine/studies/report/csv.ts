import type { Environment } from '../../../../shared/run-record.js';
import type { ReportSubject } from './document.js';

/**
 * CSV of the numbers: `#` lines first carry the spec and the environment
 * (pandas: comment='#'), then one table — a run's summary and series in long
 * form, a sweep's runs one per row, a comparison's rows.
 */
export function renderCsv(subject: ReportSubject, exportedAt: string, exporter: Environment): string {
  const lines: string[] = [];
  // JSON even for strings, so no value can end its comment line and start a row of its own.
  const meta = (key: string, value: unknown) => lines.push(`# ${key}: ${JSON.stringify(value)}`);
  meta('tunebench report', subject.type);
  meta('exported', exportedAt);
  meta('exported by', `Tunebench ${exporter.tunebenchVersion}`);
  const rows: unknown[][] = [];
  if (subject.type === 'run') {
    const { run } = subject;
    meta('run', run.id);
    meta('spec', run.spec);
    meta('environment', run.environment);
    // How quiet the machine was (no line: recorded before Tunebench measured it).
    if (run.noise) meta('noise', run.noise);
    // What the findings rules read in it (no line: recorded before there were findings).
    if (run.findings) meta('findings', run.findings);
    rows.push(['section', 'name', 't_ms', 'value', 'unit']);
    for (const [name, metric] of Object.entries(run.summary)) rows.push(['summary', name, '', metric.value, metric.unit]);
    for (const [name, series] of Object.entries(run.series)) {
      for (let i = 0; i < series.t.length; i++) rows.push(['series', name, series.t[i], series.v[i], series.unit]);
    }
  } else if (subject.type === 'sweep') {
    const { sweep } = subject;
    meta('sweep', sweep.id);
    meta('spec', sweep.spec);
    meta('environment', sweep.environment);
    const axes = sweep.spec.axes.map((axis) => axis.path);
    const metrics = [...new Set(sweep.runs.flatMap((run) => Object.keys(run.summary)))];
    const noiseOf = new Map(subject.runs.map((run) => [run.id, run.noise]));
    rows.push(['order', 'point', ...axes, 'repeat', 'run_id', 'status', 'duration_ms', 'machine', 'others_cores', ...metrics]);
    sweep.runs.forEach((entry, order) => {
      const noise = noiseOf.get(entry.runId);
      const settings = sweep.points[entry.point]?.settings ?? {};
      rows.push([
        order + 1,
        entry.point,
        ...axes.map((axis) => settings[axis]),
        entry.repeat < 0 ? 'warmup' : entry.repeat + 1,
        entry.runId,
        entry.status,
        entry.durationMs,
        noise?.verdict ?? '',
        noise?.othersCores ?? '',
        ...metrics.map((metric) => entry.summary[metric]?.value ?? ''),
      ]);
    });
  } else {
    const { comparison } = subject;
    if (comparison.verdict) meta('verdict', comparison.verdict.headline);
    meta('baseline', { label: comparison.baseline.label, runs: comparison.baseline.runIds, spec: comparison.baseline.spec, environment: comparison.baseline.environment });
    meta('candidate', { label: comparison.candidate.label, runs: comparison.candidate.runIds, spec: comparison.candidate.spec, environment: comparison.candidate.environment });
    meta('options', comparison.options);
    const noiseOf = (runs: typeof subject.baselineRuns) => runs.map((run) => ({ run: run.id, noise: run.noise ?? null }));
    meta('baseline noise', noiseOf(subject.baselineRuns));
    meta('candidate noise', noiseOf(subject.candidateRuns));
    rows.push(['metric', 'unit', 'better', 'baseline', 'candidate', 'diff', 'rel_diff', 'ci_low', 'ci_high', 'rel_ci_low', 'rel_ci_high', 'basis', 'n_baseline', 'n_candidate', 'significant', 'verdict']);
    for (const row of comparison.rows) {
      rows.push([
        row.metric, row.unit, row.better, row.baseline, row.candidate, row.diff, row.relDiff,
        row.ci?.low, row.ci?.high, row.relCi?.low, row.relCi?.high, row.basis, row.n.baseline, row.n.candidate, row.significant, row.verdict,
      ]);
    }
  }
  return `${lines.join('\n')}\n${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/**
 * One cell. Numbers go as they are; text that a spreadsheet would take for a
 * formula (starting with =, +, -, @, tab or carriage return: names and labels
 * can come from imported files) gets a leading apostrophe, so it shows as text.
 */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r#']/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
