/**
 * The CLI's experiment commands (compare, report, import, sweep), kept out of
 * cli.ts so its command table stays one entry per command. Each resolves
 * with an exit code of cli-core.ts's EXIT: ok, failed or (compare) regression,
 * badInput or (the compare gate) inconclusive because the machine was busy,
 * stoppedBySignal.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StreamPayload } from '../shared/contract.js';
import { TunebenchError } from '../shared/errors.js';
import {
  describeCompareMethods,
  describeSettings,
  INDICATIVE_LABEL,
  MAX_IMPORT_BYTES,
  ReportFormatSchema,
  type Comparison,
} from '../shared/studies.js';
import { parseSpecFile, type SpecFile } from '../shared/specs/spec-file.js';
import { servicesFileJsonSchema } from '../shared/specs/services.js';
import { specFileJsonSchema } from '../shared/specs/sweep.js';
import { compareGroups, gateComparison, renamedMetrics, unknownMetrics, type GateResult } from './engine/studies/compare.js';
import { compareGroupOf, parseReportFile, tooLargeForImport } from './engine/studies/report-file.js';
import { COMPARISON_HEADER, comparisonCells, formatDuration, formatSignedPct, textTable } from './engine/studies/report/format.js';
import { EXIT, type CliCommand, type CliValues, type ExitCode, type OnStopSignal, type WithEngine } from './cli-core.js';

export const compareCommand: CliCommand = {
  summary: 'Compare two runs or sweeps (exported JSON or run records); gate CI on regressions',
  usage:
    'compare <baseline.json> <candidate.json> [--fail-on-regression <pct>] [--metrics <a,b>] [--noise-floor <pct>]\n' +
    '                  [--objective <metric>] [--single-run-ok] [--allow-noisy] [--baseline-point <i>] [--candidate-point <i>] [--json]\n' +
    '  The first line is the verdict on the objective (default: throughput; memory runs: the leak slope).\n' +
    '  Runs of different kinds are refused (TB_COMPARE_KINDS).\n' +
    '  With one run per side the verdicts are indicative (within-run noise only) and the gate does not fail\n' +
    '  on them unless --single-run-ok; compare sweeps with repeats (2 or more per side, 5 recommended).\n' +
    '  When either side ran on a busy machine the comparison is inconclusive and the gate exits 2 unless --allow-noisy.',
  options: {
    'fail-on-regression': { type: 'string' },
    metrics: { type: 'string' },
    objective: { type: 'string' },
    'noise-floor': { type: 'string' },
    'baseline-point': { type: 'string' },
    'candidate-point': { type: 'string' },
    seed: { type: 'string' },
    'single-run-ok': { type: 'boolean' },
    'allow-noisy': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  run: async ({ positionals, values }, io) => {
    let comparison: Comparison;
    let gate: GateResult | undefined;
    let failPct: number | undefined;
    try {
      if (positionals.length !== 2) {
        throw new TunebenchError('TB_ARGUMENT_COUNT', {
          expected: `two files, <baseline.json> <candidate.json>; got ${positionals.length}`,
        });
      }
      const [baselineFile, candidateFile] = positionals as [string, string];
      failPct = optionalNumber(values, 'fail-on-regression', 0, 1000);
      const noiseFloorPct = optionalNumber(values, 'noise-floor', 0, 100);
      const seed = optionalNumber(values, 'seed', 0, 0xffff_ffff, true);
      const metrics = typeof values.metrics === 'string' ? values.metrics.split(',').map((m) => m.trim()).filter(Boolean) : [];
      const baseline = compareGroupOf(
        parseReportFile(await readInput(baselineFile), baselineFile),
        baselineFile,
        optionalNumber(values, 'baseline-point', 0, 10_000, true),
      );
      const candidate = compareGroupOf(
        parseReportFile(await readInput(candidateFile), candidateFile),
        candidateFile,
        optionalNumber(values, 'candidate-point', 0, 10_000, true),
      );
      const allowNoisy = values['allow-noisy'] === true;
      comparison = compareGroups(
        baseline,
        candidate,
        {
          ...(noiseFloorPct !== undefined ? { noiseFloorPct } : {}),
          ...(seed !== undefined ? { seed } : {}),
        },
        { allowNoisy, objective: typeof values.objective === 'string' ? values.objective : undefined },
      );
      const unknown = unknownMetrics(comparison, metrics);
      if (unknown.length) {
        throw new TunebenchError('TB_UNKNOWN_METRIC', {
          metric: unknown.map((name) => `"${name}"`).join(', '),
          where: 'to gate on (--metrics)',
          known: comparison.rows.map((row) => row.metric).join(', '),
        });
      }
      // Former names (waitMs.p50) still gate their metric; say what it is called now.
      for (const { from, to } of renamedMetrics(comparison, metrics)) {
        io.stderr.write(`tunebench compare: --metrics ${from} is now called ${to} (one row per metric); gating ${to}\n`);
      }
      if (failPct !== undefined) {
        gate = gateComparison(baseline, candidate, comparison, { failPct, metrics, singleRunOk: values['single-run-ok'] === true, allowNoisy });
      }
    } catch (error) {
      io.stderr.write(`tunebench compare: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.badInput;
    }
    const regressions = gate?.regressions ?? [];
    if (values.json === true) {
      const gateJson = gate && {
        gated: gate.gated,
        level: gate.level,
        indicativeNotFailing: gate.indicative.map((r) => r.row.metric),
        ...(gate.inconclusive ? { inconclusive: gate.inconclusive } : {}),
      };
      io.stdout.write(`${JSON.stringify({ comparison, regressions: regressions.map((r) => r.row.metric), ...(gateJson ? { gate: gateJson } : {}) }, null, 2)}\n`);
    } else {
      io.stdout.write(describeComparison(comparison));
      if (gate && failPct !== undefined) io.stdout.write(describeGate(gate, failPct, comparison));
    }
    if (gate?.inconclusive) return EXIT.inconclusive;
    return regressions.length ? EXIT.regression : EXIT.ok;
  },
};

export function reportCommand(withEngine: WithEngine): CliCommand {
  return {
    summary: 'Export a saved run or sweep (id) as a report: html, md, csv or json',
    usage: 'report <run-or-sweep-id> --format html|md|csv|json [--out <file>]',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    run: async ({ positionals, values }, io) => {
      if (positionals.length !== 1) {
        throw new TunebenchError('TB_ARGUMENT_COUNT', { expected: `one run or sweep id; got ${positionals.length}` });
      }
      const format = ReportFormatSchema.safeParse(values.format);
      if (!format.success) {
        throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: '--format', rule: `one of html, md, csv, json; got ${JSON.stringify(values.format)}` });
      }
      const id = positionals[0]!;
      const file = await withEngine(io, async (engine) => {
        const target = engine.studies.hasSweep(id) ? { sweepId: id } : { runId: id };
        return engine.call('report.export', { target, format: format.data });
      });
      if (typeof values.out === 'string') {
        await fs.writeFile(path.resolve(values.out), file.content);
        io.stderr.write(`Wrote ${file.mimeType.split(';')[0]} report to ${path.resolve(values.out)}\n`);
      } else {
        io.stdout.write(file.content);
      }
      return EXIT.ok;
    },
  };
}

export function describeComparison(comparison: Comparison): string {
  const lines: string[] = [];
  // The answer first; the evidence after it.
  if (comparison.verdict) {
    lines.push(`Verdict: ${comparison.verdict.headline}`);
    if (comparison.verdict.advice.length) lines.push(`To decide it: ${comparison.verdict.advice.join('; ')}.`);
  }
  lines.push(
    `Baseline:  ${comparison.baseline.label} — ${comparison.baseline.runIds.length} run(s)`,
    `Candidate: ${comparison.candidate.label} — ${comparison.candidate.runIds.length} run(s)`,
  );
  if (comparison.specChanges.length) {
    lines.push(
      `Changed settings: ${comparison.specChanges
        .map((change) => `${change.path} ${JSON.stringify(change.baseline)} → ${JSON.stringify(change.candidate)}`)
        .join(', ')}`,
    );
  }
  if (comparison.inconclusive) lines.push(`Machine: ${comparison.inconclusive}.`);
  // A busy machine judged anyway is one of the warnings.
  else if (comparison.noise && !comparison.noise.blocked) lines.push(`Machine: ${comparison.noise.reason}.`);
  if (comparison.indicative) lines.push(`Verdicts: ${INDICATIVE_LABEL}.`);
  lines.push(
    `Significant = the ${Math.round(comparison.options.level * 100)}% interval of the change lies beyond the ${comparison.options.noiseFloorPct}% noise floor.`,
    ...describeCompareMethods(comparison),
    '',
  );
  const table = textTable(COMPARISON_HEADER, comparison.rows.map(comparisonCells));
  const warnings = comparison.warnings.map((warning) => `warning: ${warning}`);
  return `${lines.join('\n')}\n${table}${warnings.length ? `\n${warnings.join('\n')}\n` : ''}`;
}

function describeGate(gate: GateResult, pct: number, comparison: Comparison): string {
  const list = (regressions: GateResult['regressions']) => regressions.map((r) => `  ${r.row.metric}: ${formatSignedPct(r.row.relDiff)}`).join('\n');
  const levels =
    gate.gated > 1
      ? ` (each of the ${gate.gated} gated metrics at a ${formatLevel(gate.level)} interval, so that all of them together keep a ${Math.round(comparison.options.level * 100)}% level)`
      : '';
  const lines: string[] = [];
  if (gate.inconclusive) {
    return `\nINCONCLUSIVE: the gate cannot decide, ${gate.inconclusive.replace(/^inconclusive: /, '')}.\nRerun on a quiet machine, or pass --allow-noisy to judge anyway.\n`;
  }
  if (gate.regressions.length) {
    lines.push(`REGRESSION: ${gate.regressions.length} metric(s) significantly worse by more than ${pct}%${levels}:`, list(gate.regressions));
  } else if (gate.gated === 0 && comparison.indicative) {
    lines.push(
      `No metric was gated: with one run per side every verdict is ${INDICATIVE_LABEL}.` +
        (gate.indicative.length ? '' : ` None of them is worse by more than ${pct}% either.`),
    );
  } else {
    lines.push(`No metric is significantly worse by more than ${pct}%${levels}.`);
  }
  if (gate.indicative.length) {
    lines.push(
      `Not failing on ${gate.indicative.length} metric(s) that look worse by more than ${pct}% on one run per side, ${INDICATIVE_LABEL}:`,
      list(gate.indicative),
      'Compare runs with repeats (a sweep with repeats, 5 recommended) to judge them, or pass --single-run-ok to fail on single runs.',
    );
  }
  return `\n${lines.join('\n')}\n`;
}

function formatLevel(level: number): string {
  return `${Number((level * 100).toPrecision(4))}%`;
}

/** Reads a report; one beyond the import limit is refused by its size on disk, before it is read. */
export async function readInput(file: string): Promise<string> {
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_IMPORT_BYTES) throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: tooLargeForImport() });
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof TunebenchError) throw error;
    throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: whyUnreadable(error) });
  }
}

/** Reads a spec file: one experiment or a sweep, "$schema" ignored; every problem is a TB_INVALID_SPEC naming the file. */
export async function readSpecFile(file: string): Promise<SpecFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new TunebenchError('TB_INVALID_SPEC', { detail: `cannot read ${file}: ${whyUnreadable(error)}` });
  }
  return parseSpecFile(text, file);
}

function whyUnreadable(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
}

function optionalNumber(values: CliValues, name: string, min: number, max: number, integer = false): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
      option: `--${name}`,
      rule: `${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got ${JSON.stringify(raw)}`,
    });
  }
  return value;
}

export function sweepCommand(withEngine: WithEngine, onStopSignal: OnStopSignal): CliCommand {
  return {
    summary: 'Run a sweep spec (settings × repeats) and print its recommendation; --resume finishes one that was cut short',
    usage:
      'sweep <sweep.json> [--out <report.json>] [--json]\n           sweep --resume <sweep-id> [--out <report.json>] [--json]\n' +
      '           sweep <load-sweep.json> --external   save the sweep without running it: its points run on k6 or Artillery (tunebench export, then import --sweep)',
    options: { out: { type: 'string' }, json: { type: 'boolean' }, resume: { type: 'string' }, external: { type: 'boolean' } },
    run: async ({ positionals, values }, io) => {
      if (values.external === true) {
        if (values.resume !== undefined) {
          throw new TunebenchError('TB_OPTIONS_CONFLICT', { one: '--external', other: '--resume', why: '--external takes a load sweep spec file, --resume a sweep id' });
        }
        if (positionals.length !== 1) throw new TunebenchError('TB_ARGUMENT_COUNT', { expected: `one load sweep spec file with --external; got ${positionals.length}` });
        return externalSweep(positionals[0]!, io, withEngine);
      }
      const resumeId = typeof values.resume === 'string' ? values.resume : undefined;
      if (resumeId !== undefined && positionals.length) {
        throw new TunebenchError('TB_OPTIONS_CONFLICT', { one: '--resume <sweep id>', other: 'a spec file', why: 'the sweep keeps its own spec' });
      }
      let spec: Extract<SpecFile, { type: 'sweep' }>['spec'] | undefined;
      if (resumeId === undefined) {
        if (positionals.length !== 1) throw new TunebenchError('TB_ARGUMENT_COUNT', { expected: `one sweep spec file; got ${positionals.length}` });
        const specFile = positionals[0]!;
        const parsed = await readSpecFile(specFile);
        if (parsed.type === 'experiment') {
          throw new TunebenchError('TB_INVALID_SPEC', {
            detail: `${specFile} is a single ${parsed.spec.kind} experiment; run it with tunebench run, or make it the "base" of a sweep spec`,
          });
        }
        spec = parsed.spec;
      }
      return withEngine(io, async (engine) => {
        let sweepId: string;
        if (resumeId !== undefined) {
          const resumed = await engine.call('sweeps.resume', { sweepId: resumeId });
          sweepId = resumed.sweepId;
          io.stderr.write(`Resuming sweep ${sweepId}: ${resumed.missing} run(s) to go\n`);
        } else {
          sweepId = (await engine.call('sweeps.start', { spec: spec! })).sweepId;
        }
        // The sweep's runs, so one that fails or is stopped says so as it ends (the sweep goes on to the next).
        const sweepRuns = new Set<string>();
        const stopListening = engine.onStream((stream, payload) => {
          if (stream === 'run.status') {
            const status = payload as StreamPayload<'run.status'>;
            if (!sweepRuns.has(status.runId) || status.status === 'running' || status.status === 'completed') return;
            io.stderr.write(`  run ${status.runId} ${status.status}${status.error ? `: ${status.error.message.split('\n')[0]}` : ''}\n`);
            return;
          }
          if (stream !== 'sweep.progress') return;
          const progress = payload as StreamPayload<'sweep.progress'>;
          if (progress.sweepId !== sweepId || progress.status !== 'running') return;
          if (progress.runId) sweepRuns.add(progress.runId);
          const eta = progress.etaMs === null ? '' : `, about ${formatDuration(progress.etaMs)} left`;
          io.stderr.write(`run ${progress.done + 1} of ${progress.total} (point ${progress.point + 1} of ${progress.points}${eta})\n`);
        });
        let stopped = false;
        const stopOnSignal = onStopSignal(async () => {
          stopped = true;
          io.stderr.write('Stopping the sweep; finished runs are kept\n');
          await engine.studies.sweeps.stop(sweepId).catch(() => {});
        });
        try {
          await engine.studies.sweeps.wait(sweepId);
        } finally {
          stopOnSignal();
          stopListening();
        }
        const { sweep, analysis } = await engine.call('sweeps.get', { sweepId });
        if (typeof values.out === 'string') {
          const file = await engine.call('report.export', { target: { sweepId }, format: 'json' });
          await fs.writeFile(path.resolve(values.out), file.content);
          io.stderr.write(`Wrote the sweep report to ${path.resolve(values.out)}\n`);
        }
        if (values.json === true) io.stdout.write(`${JSON.stringify({ sweep, analysis }, null, 2)}\n`);
        else {
          const lines = [`Sweep ${sweep.id} (${sweep.name}) ${sweep.status} in ${formatDuration(sweep.durationMs)}`];
          for (const knee of analysis.knees) lines.push(`Knee${knee.slice === 'all' ? '' : ` (${knee.slice})`}: ${knee.evidence.join(' ')}`);
          if (analysis.best) lines.push(`Best: ${analysis.best.evidence.join(' ')}`);
          lines.push(...analysis.warnings.map((w) => `warning: ${w}`));
          io.stdout.write(`${lines.join('\n')}\n`);
        }
        if (stopped) return EXIT.stoppedBySignal;
        return sweep.status === 'completed' ? EXIT.ok : EXIT.failed;
      });
    },
  };
}

/** A sweep record whose points run on another engine: saved, not run; each point's results join it through import --sweep. */
async function externalSweep(specFile: string, io: Parameters<CliCommand['run']>[1], withEngine: WithEngine): Promise<ExitCode> {
  const parsed = await readSpecFile(specFile);
  if (parsed.type !== 'sweep') throw new TunebenchError('TB_INVALID_SPEC', { detail: `${specFile} is a single experiment; --external takes a load sweep spec` });
  const record = await withEngine(io, (engine) => engine.studies.createExternalSweep(parsed.spec));
  const lines = [
    `Sweep ${record.id} (${record.name}) saved without running: its ${record.points.length} point(s) × ${parsed.spec.repeats} repeat(s) run elsewhere.`,
    'For each point: export its script, run it, import its results into the sweep:',
    ...record.points.map(
      (point) =>
        `  point ${point.index} (${describeSettings(point.settings)}): tunebench export k6 ${specFile} --point ${point.index} --out point-${point.index}.k6.js\n` +
        `      then: tunebench import k6 results-${point.index}.json.gz --sweep ${record.id} --point ${point.index}`,
    ),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export const schemaCommand: CliCommand = {
  summary: 'Print (or write) the JSON Schema of spec files (or of services files: schema services), for editors',
  usage: 'schema [services] [--out <file>]',
  options: { out: { type: 'string' } },
  run: async ({ positionals, values }, io) => {
    const [which, extra] = positionals;
    if (extra !== undefined || (which !== undefined && which !== 'services')) {
      throw new TunebenchError('TB_UNEXPECTED_ARGUMENT', { argument: String(extra ?? which) });
    }
    const text = `${JSON.stringify(which === 'services' ? servicesFileJsonSchema() : specFileJsonSchema(), null, 2)}\n`;
    if (typeof values.out !== 'string') {
      io.stdout.write(text);
      return EXIT.ok;
    }
    const file = path.resolve(values.out);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    io.stderr.write(`Wrote ${file}\n`);
    return EXIT.ok;
  },
};
