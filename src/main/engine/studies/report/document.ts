/**
 * A report as a small document model built once per subject and rendered to
 * HTML or Markdown, so both formats always say the same things.
 */
import {
  Comparison,
  describeCompareMethods,
  describeConfidence,
  describeSettings,
  INDICATIVE_LABEL,
  SweepAnalysis,
} from '../../../../shared/studies.js';
import type { Environment, RunRecord } from '../../../../shared/run-record.js';
import type { SweepRecord } from '../../../../shared/specs/sweep.js';
import { computeStatistic, MEAN, quantile } from '../bootstrap.js';
import { COMPARISON_HEADER, comparisonCells, formatDuration, formatNumber, formatValue } from './format.js';
import { forestPlotSvg, sweepChartSvg, timeChartSvg } from './svg.js';
import { forestRows } from '../../../../shared/forest-plot.js';
import { busyBands, describeMachine, describeMachineShort } from '../../../../shared/noise-verdict.js';
import { DEFAULT_BUSY_THRESHOLD_CORES, NOISE_SERIES } from '../../../../shared/noise.js';
import { findingsTable } from '../../findings/describe.js';
import { labelWithKey } from '../../../../shared/headline-names.js';

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; header: string[]; rows: string[][] }
  | { type: 'chart'; svg: string; caption: string }
  | { type: 'code'; text: string };

export interface ReportDocument {
  title: string;
  subtitle: string;
  blocks: Block[];
}

export type ReportSubject =
  | { type: 'run'; run: RunRecord }
  | { type: 'sweep'; sweep: SweepRecord; analysis: SweepAnalysis; runs: RunRecord[] }
  | { type: 'comparison'; comparison: Comparison; baselineRuns: RunRecord[]; candidateRuns: RunRecord[] };

/** Charts per run report; beyond this the CSV and JSON exports hold the rest. */
const MAX_RUN_CHARTS = 16;
const MAX_EVENTS = 200;

export function buildDocument(subject: ReportSubject, exportedAt: string, exporter: Environment): ReportDocument {
  switch (subject.type) {
    case 'run':
      return runDocument(subject.run, exportedAt, exporter);
    case 'sweep':
      return sweepDocument(subject.sweep, subject.analysis, exportedAt, exporter, subject.runs);
    case 'comparison':
      return comparisonDocument(subject.comparison, exportedAt, exporter);
  }
}

function runDocument(run: RunRecord, exportedAt: string, exporter: Environment): ReportDocument {
  const blocks: Block[] = [
    // The headline of the run first (none for a record from before there were findings).
    ...(run.findings
      ? [
          { type: 'heading', text: 'Findings' } as const,
          run.findings.length
            ? ({ type: 'table', ...findingsTable(run.findings) } as const)
            : ({ type: 'paragraph', text: 'Nothing stood out in this run.' } as const),
        ]
      : []),
    {
      type: 'table',
      header: ['Run', ''],
      rows: [
        ['Id', run.id],
        ['Kind', run.kind],
        ['Status', run.status + (run.error ? ` — ${run.error.message}` : '')],
        ['Started', run.startedAt],
        ['Duration', formatDuration(run.durationMs)],
        ['Machine', describeMachine(run.noise)],
        ...(run.origin?.rerunOf ? [['Rerun of', run.origin.rerunOf]] : []),
        ...(run.origin?.sweepId ? [['Sweep', `${run.origin.sweepId}, point ${run.origin.point ?? '?'}`]] : []),
      ],
    },
    { type: 'heading', text: 'Summary' },
    summaryTable(run),
  ];
  const recorded = Object.entries(run.series).filter(([, s]) => s.t.length > 0);
  // The machine's own charts come after the run's and never count against its cap.
  const machineNames: ReadonlySet<string> = new Set(Object.values(NOISE_SERIES));
  const series = recorded.filter(([name]) => !machineNames.has(name));
  const machine = recorded.filter(([name]) => machineNames.has(name));
  // Where other processes kept the machine busy, shaded on every chart.
  const bands = busyBands(run.series[NOISE_SERIES.othersCores], run.noise?.thresholdCores ?? DEFAULT_BUSY_THRESHOLD_CORES);
  if (series.length) {
    blocks.push({ type: 'heading', text: 'Over time' });
    blocks.push({
      type: 'paragraph',
      text:
        'Every chart shares one time axis (seconds since the run started), so cause and effect line up.' +
        (bands.length ? ' Shaded stretches: other processes used more CPU than the threshold (the machine was busy).' : ''),
    });
    const groups = groupSeries(series);
    for (const group of groups.slice(0, MAX_RUN_CHARTS)) {
      const names = group.map(([name, s]) => s.label ?? name);
      const title = names.length === 1 ? names[0]! : commonTitle(names);
      const lines = group.map(([name, s]) => ({ name: s.label ?? name, t: s.t, v: s.v }));
      blocks.push({ type: 'chart', svg: timeChartSvg(title, group[0]![1].unit, lines, run.durationMs, bands), caption: `${names.join(', ')} (${group[0]![1].unit})` });
    }
    if (groups.length > MAX_RUN_CHARTS) {
      blocks.push({ type: 'paragraph', text: `${groups.length - MAX_RUN_CHARTS} more charts' series are in the CSV and JSON exports.` });
    }
  }
  if (machine.length) {
    blocks.push({ type: 'heading', text: 'Machine' });
    blocks.push({
      type: 'paragraph',
      text:
        `${describeMachine(run.noise)}. Other processes: the machine's busy CPU time (steal included) less the run's own ` +
        'process tree (the workbench with its threads and every process it started), sampled every second on the same time axis.',
    });
    for (const group of groupSeries(machine)) {
      const names = group.map(([name, s]) => s.label ?? name);
      const lines = group.map(([name, s]) => ({ name: s.label ?? name, t: s.t, v: s.v }));
      const title = names.length === 1 ? names[0]! : commonTitle(names);
      blocks.push({ type: 'chart', svg: timeChartSvg(title, group[0]![1].unit, lines, run.durationMs, bands), caption: `${names.join(', ')} (${group[0]![1].unit})` });
    }
  }
  const distributions = Object.entries(run.distributions).filter(([, d]) => d.values.length);
  if (distributions.length) {
    blocks.push({ type: 'heading', text: 'Per-item distributions' });
    blocks.push({
      type: 'table',
      header: ['Distribution', 'Observed', 'Kept', 'Mean', 'p50', 'p90', 'p99', 'Max'],
      rows: distributions.map(([name, d]) => [
        d.label ?? name,
        formatNumber(d.observed),
        formatNumber(d.values.length),
        ...[MEAN, quantile(0.5), quantile(0.9), quantile(0.99), quantile(1)].map((s) => formatValue(computeStatistic(d.values, s), d.unit)),
      ]),
    });
  }
  if (run.events.length) {
    blocks.push({ type: 'heading', text: `Events (${run.events.length})` });
    blocks.push({
      type: 'table',
      header: ['Time', 'Type', 'Message'],
      rows: run.events.slice(0, MAX_EVENTS).map((e) => [`${(e.t / 1000).toFixed(2)} s`, e.type, e.message]),
    });
  }
  blocks.push(...provenance(run.spec, [['Run', run.environment]], exportedAt, exporter));
  return { title: run.name, subtitle: `${run.kind} run · ${run.status} · ${run.startedAt}`, blocks };
}

/** Neighbouring series with one unit share a chart (p50, p95, p99 of one thing), at most three to a chart. */
function groupSeries<T extends { unit: string }>(series: Array<[string, T]>): Array<Array<[string, T]>> {
  const groups: Array<Array<[string, T]>> = [];
  for (const entry of series) {
    const last = groups.at(-1);
    if (last && last.length < 3 && last[0]![1].unit === entry[1].unit && sharedPrefix(last[0]![0], entry[0]) >= 3) last.push(entry);
    else groups.push([entry]);
  }
  return groups;
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** "Queue wait p50", "Queue wait p95" → "Queue wait p50 / p95". */
function commonTitle(names: string[]): string {
  const prefix = names.reduce((common, name) => common.slice(0, sharedPrefix(common, name)));
  const cut = prefix.lastIndexOf(' ') + 1 || prefix.length;
  return `${names[0]!.slice(0, cut)}${names.map((name) => name.slice(cut)).join(' / ')}`;
}

function summaryTable(run: RunRecord): Block {
  return {
    type: 'table',
    header: ['Metric', 'Value', 'Better'],
    rows: Object.entries(run.summary).map(([name, metric]) => [
      labelWithKey(name, metric.label),
      formatValue(metric.value, metric.unit),
      metric.better,
    ]),
  };
}

function sweepDocument(sweep: SweepRecord, analysis: SweepAnalysis, exportedAt: string, exporter: Environment, runs: readonly RunRecord[] = []): ReportDocument {
  const blocks: Block[] = [
    {
      type: 'table',
      header: ['Sweep', ''],
      rows: [
        ['Id', sweep.id],
        ['Kind', sweep.spec.base.kind],
        ['Status', sweep.status + (sweep.error ? ` — ${sweep.error.message}` : '')],
        ['Swept', sweep.spec.axes.map((a) => `${a.path} ∈ {${a.values.join(', ')}}`).join(' × ') || 'nothing (repeats of one spec)'],
        ['Runs', `${sweepRunsLine(sweep)}; ${sweep.spec.repeats} repeat(s) per point, ${sweep.spec.order} order (seed ${sweep.spec.seed})`],
        ['Started', sweep.startedAt],
        ['Duration', formatDuration(sweep.durationMs)],
      ],
    },
  ];
  blocks.push({ type: 'heading', text: 'Recommendation' });
  const items: string[] = [];
  for (const knee of analysis.knees) {
    const where = knee.slice === 'all' ? '' : ` (${knee.slice})`;
    items.push(
      knee.settings
        ? `Knee${where}: ${describeSettings(knee.settings)} — ${describeConfidence(knee.confidence, knee.decisive)}. ${knee.evidence.join(' ')}`
        : `Knee${where}: none. ${knee.evidence.join(' ')}`,
    );
  }
  if (analysis.best) {
    const label = analysis.best.target ? `Best meeting ${analysis.best.target.metric} ${analysis.best.target.op} ${formatNumber(analysis.best.target.value)}` : 'Best';
    items.push(
      analysis.best.settings
        ? `${label}: ${describeSettings(analysis.best.settings)} — ${describeConfidence(analysis.best.confidence, analysis.best.decisive)}. ${analysis.best.evidence.join(' ')}`
        : `${label}: none. ${analysis.best.evidence.join(' ')}`,
    );
  }
  if (sweep.points.length === 1) items.push(`A single setting, repeated ${sweep.spec.repeats} times: nothing to choose between; its spread is in the table below.`);
  items.push(...analysis.warnings.map((w) => `Caution: ${w}`));
  blocks.push({ type: 'list', items });
  const firstAxis = sweep.spec.axes[0];
  if (firstAxis && analysis.metric) {
    for (const slice of sliceAnalysis(sweep, analysis)) {
      const toSeries = (metric: string) => ({
        name: metric,
        unit: analysis.units[metric] ?? '',
        points: slice.points.flatMap((p, i) => (p.metrics[metric] ? [{ x: i, ...p.metrics[metric]! }] : [])),
      });
      const kneePoint = analysis.knees.find((k) => k.slice === slice.name)?.point;
      const highlight = slice.points.findIndex((p) => p.index === kneePoint);
      blocks.push({
        type: 'chart',
        svg: sweepChartSvg(
          `${analysis.metric}${analysis.latencyMetric ? ` and ${analysis.latencyMetric}` : ''}${slice.name === 'all' ? '' : ` (${slice.name})`}`,
          firstAxis.path,
          slice.points.map((p) => String(p.settings[firstAxis.path])),
          toSeries(analysis.metric),
          analysis.latencyMetric ? toSeries(analysis.latencyMetric) : undefined,
          highlight >= 0 ? highlight : undefined,
        ),
        caption: `Mean of repeats with 95% t intervals; the knee is shaded.`,
      });
    }
  }
  blocks.push({ type: 'heading', text: 'Points' });
  const metrics = [analysis.metric, analysis.latencyMetric].filter((m): m is string => m !== null);
  // Columns that differ between points say something; constant ones (completed jobs) do not.
  const varies = (metric: string) => new Set(analysis.points.map((p) => p.metrics[metric]?.mean)).size > 1;
  const otherMetrics = Object.keys(analysis.units).filter((m) => !metrics.includes(m) && varies(m)).slice(0, 3);
  const shown = [...metrics, ...otherMetrics];
  blocks.push({
    type: 'table',
    header: ['Point', 'Settings', 'n', ...shown],
    rows: analysis.points.map((p) => [
      String(p.index),
      describeSettings(p.settings),
      String(Object.values(p.metrics)[0]?.n ?? 0),
      ...shown.map((m) => {
        const stat = p.metrics[m];
        const unit = analysis.units[m]!;
        return stat ? `${formatValue(stat.mean, unit)} [${formatNumber(stat.low)} … ${formatNumber(stat.high)}]` : '–';
      }),
    ]),
  });
  blocks.push({ type: 'heading', text: 'Runs in the order they were made' });
  const noiseOf = new Map(runs.map((run) => [run.id, run.noise]));
  blocks.push({
    type: 'table',
    header: ['#', 'Run', 'Point', 'Repeat', 'Status', 'Duration', 'Machine'],
    rows: sweep.runs.map((r, i) => [
      String(i + 1),
      r.runId,
      String(r.point),
      r.repeat < 0 ? 'warm-up' : String(r.repeat + 1),
      r.status,
      formatDuration(r.durationMs),
      noiseOf.has(r.runId) ? describeMachineShort(noiseOf.get(r.runId)) : '–',
    ]),
  });
  blocks.push(...provenance(sweep.spec as unknown as Record<string, unknown>, [['Sweep', sweep.environment]], exportedAt, exporter));
  return { title: sweep.name, subtitle: `${sweep.spec.base.kind} sweep · ${sweep.status} · ${sweep.startedAt}`, blocks };
}

function sliceAnalysis(sweep: SweepRecord, analysis: SweepAnalysis) {
  const [first, second] = sweep.spec.axes;
  const names = second ? second.values.map((v) => `${second.path}=${String(v)}`) : ['all'];
  return names.map((name) => ({
    name,
    points: analysis.points
      .filter((p) => !second || `${second.path}=${String(p.settings[second.path])}` === name)
      .sort((a, b) => {
        const va = a.settings[first!.path];
        const vb = b.settings[first!.path];
        return typeof va === 'number' && typeof vb === 'number' ? va - vb : first!.values.indexOf(va!) - first!.values.indexOf(vb!);
      }),
  }));
}

function comparisonDocument(comparison: Comparison, exportedAt: string, exporter: Environment): ReportDocument {
  const { baseline, candidate, options } = comparison;
  const blocks: Block[] = [];
  // The answer first, then the picture of every change, then the table; the evidence after.
  if (comparison.verdict) {
    blocks.push({ type: 'heading', text: 'Verdict' });
    blocks.push({ type: 'paragraph', text: comparison.verdict.headline });
    if (comparison.verdict.advice.length) blocks.push({ type: 'paragraph', text: `To decide it: ${comparison.verdict.advice.join('; ')}.` });
  }
  const plotted = forestRows(comparison);
  if (plotted.length) {
    blocks.push({
      type: 'chart',
      svg: forestPlotSvg(plotted, options.noiseFloorPct / 100),
      caption: 'Relative change of each metric with its interval.',
    });
  }
  blocks.push({ type: 'heading', text: 'All metrics' });
  blocks.push({ type: 'table', header: COMPARISON_HEADER, rows: comparison.rows.map(comparisonCells) });
  blocks.push({
    type: 'table',
    header: ['Side', 'Label', 'Runs'],
    rows: [
      ['Baseline', baseline.label, baseline.runIds.join(', ')],
      ['Candidate', candidate.label, candidate.runIds.join(', ')],
    ],
  });
  blocks.push({
    type: 'paragraph',
    text:
      `A difference is significant when its ${Math.round(options.level * 100)}% interval ` +
      `lies entirely beyond the noise floor of ${options.noiseFloorPct}% of the baseline. Latency is compared on percentiles as well as means.`,
  });
  if (comparison.inconclusive) {
    blocks.push({ type: 'paragraph', text: `Machine: ${comparison.inconclusive}. No difference is called significant; rerun on a quiet machine.` });
  } else if (comparison.noise && !comparison.noise.blocked) {
    blocks.push({ type: 'paragraph', text: `Machine: ${comparison.noise.reason}.` });
  }
  if (comparison.indicative) {
    blocks.push({
      type: 'paragraph',
      text:
        `Verdicts are ${INDICATIVE_LABEL}. The per-item intervals cannot see how much a whole run differs from the next, ` +
        'and whole-run metrics get no interval; compare runs with repeats (a sweep with repeats) to judge them.',
    });
  }
  const methods = describeCompareMethods(comparison);
  if (methods.length) {
    blocks.push({ type: 'heading', text: 'Method' });
    blocks.push({
      type: 'list',
      items: [
        ...methods,
        ...(comparison.rows.some((r) => r.method === 'block-bootstrap') ? [`Bootstrap: ${options.resamples} resamples, seed ${options.seed}.`] : []),
        ...(comparison.rows.some((r) => r.basis === 'per-repeat')
          ? [
              "With repeats, every metric (each run's mean and percentiles of its per-item values too) is computed once per run and judged on those per-run values: the runs of a side are never pooled item by item, which would hide how much runs differ.",
            ]
          : []),
      ],
    });
  }
  if (comparison.specChanges.length) {
    blocks.push({ type: 'heading', text: 'Changed settings' });
    blocks.push({
      type: 'table',
      header: ['Setting', 'Baseline', 'Candidate'],
      rows: comparison.specChanges.map((c) => [c.path, JSON.stringify(c.baseline), JSON.stringify(c.candidate)]),
    });
  }
  const significant = comparison.rows.filter((r) => r.significant);
  blocks.push({ type: 'heading', text: 'Significant differences' });
  blocks.push({
    type: 'list',
    items: significant.length
      ? significant.map((r) => `${r.label ?? r.metric}: ${comparisonCells(r)[7]} (${comparisonCells(r)[4]})`)
      : ['No metric differs significantly.'],
  });
  if (comparison.warnings.length) blocks.push({ type: 'list', items: comparison.warnings.map((w) => `Caution: ${w}`) });
  blocks.push({ type: 'heading', text: 'Baseline spec' });
  blocks.push({ type: 'code', text: JSON.stringify(baseline.spec, null, 2) });
  blocks.push(
    ...provenance(candidate.spec, [['Baseline', baseline.environment], ['Candidate', candidate.environment]], exportedAt, exporter, 'Candidate spec'),
  );
  return { title: `${baseline.label} versus ${candidate.label}`, subtitle: `Comparison of ${baseline.kind} runs`, blocks };
}

/** The spec and the environment fingerprint(s) every report ends with. */
function provenance(
  spec: Record<string, unknown>,
  environments: Array<[string, Environment]>,
  exportedAt: string,
  exporter: Environment,
  specTitle = 'Spec',
): Block[] {
  const keys: Array<[string, (e: Environment) => string]> = [
    ['Tunebench', (e) => e.tunebenchVersion],
    ['Host', (e) => e.host],
    ['Node', (e) => e.node],
    ['V8', (e) => e.v8],
    ['Electron', (e) => e.electron ?? '–'],
    ['OS', (e) => `${e.os} (${e.arch})`],
    ['CPU', (e) => `${e.cpuModel} × ${e.cpuCount}`],
    ['Memory', (e) => `${formatNumber(e.totalMemoryMb)} MB`],
  ];
  const extraKeys = [...new Set(environments.flatMap(([, e]) => Object.keys(e.extra ?? {})))];
  return [
    { type: 'heading', text: specTitle },
    { type: 'code', text: JSON.stringify(spec, null, 2) },
    { type: 'heading', text: 'Environment' },
    {
      type: 'table',
      header: ['', ...environments.map(([name]) => name)],
      rows: [
        ...keys.map(([label, pick]) => [label, ...environments.map(([, e]) => pick(e))]),
        ...extraKeys.map((key) => [key, ...environments.map(([, e]) => e.extra?.[key] ?? '–')]),
      ],
    },
    { type: 'paragraph', text: `Exported ${exportedAt} by Tunebench ${exporter.tunebenchVersion} on Node ${exporter.node} (${exporter.os}).` },
  ];
}

/**
 * What a sweep ran, counted by outcome: a failed or stopped run measured
 * nothing the analysis uses, so it is not "measured" (a resumed sweep has
 * them beside the runs that replaced them).
 */
export function sweepRunsLine(sweep: Pick<SweepRecord, 'runs' | 'totalRuns'>): string {
  const completed = sweep.runs.filter((run) => run.status === 'completed');
  const measured = completed.filter((run) => run.repeat >= 0).length;
  const warmups = completed.length - measured;
  const others = new Map<string, number>();
  for (const run of sweep.runs) if (run.status !== 'completed') others.set(run.status, (others.get(run.status) ?? 0) + 1);
  const notCounted = [...others].map(([status, count]) => `${count} ${status}`).join(', ');
  return `${measured} measured + ${warmups} warm-up of ${sweep.totalRuns} planned${notCounted ? ` (not counted: ${notCounted})` : ''}`;
}
