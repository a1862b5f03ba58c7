/**
 * The CLI's side of other load engines: `export k6|artillery` (a load spec,
 * or one point of a load sweep, as a script), `import k6|artillery` (their
 * results as a load run, optionally as a repeat of a sweep point) and
 * `sweep --external` (a sweep whose points run elsewhere). Written against
 * cli-core.ts like every command.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TunebenchError } from '../shared/errors.js';
import { ExternalEngineSchema, type ExternalEngine } from '../shared/external.js';
import { AnalysisTargetSchema, describeImport, describeSettings, MAX_IMPORT_BYTES, type AnalysisTarget } from '../shared/studies.js';
import type { LoadSpec } from '../shared/specs/load.js';
import { expandPoints, type SweepSpec } from '../shared/specs/sweep.js';
import { EXIT, UsageError, type CliCommand, type CliIo, type CliValues, type ExitCode, type WithEngine } from './cli-core.js';
import { readInput, readSpecFile } from './cli-studies.js';
import { exportLoadSpec, parseLoadSpec } from './engine/external/export.js';
import { fileSource } from './engine/external/ndjson-lines.js';
import { formatValue } from './engine/studies/report/format.js';
import type { ExternalImportOutcome } from './engine/studies/service.js';

export const EXPORT_USAGE =
  'export k6|artillery <load-spec.json> [--out <file>] [--target "latency.p99<50"] [--expected-latency <ms>]\n' +
  '           export k6|artillery <load-sweep.json> --point <i> [--out <file>] …   one point of a load sweep';

export const EXTERNAL_IMPORT_USAGE =
  'import k6 <results.json[.gz]>… [--spec <load-spec.json>] [--sweep <sweep-id> --point <i>] [--engine-version <v>]\n' +
  '           import artillery <report.json> [--spec <load-spec.json>] [--sweep <sweep-id> --point <i>] [--engine-version <v>]';

/** `tunebench export k6|artillery …`: the script on stdout (or --out), the notes on stderr. */
export async function runExport(positionals: string[], values: CliValues, io: CliIo): Promise<ExitCode> {
  const [engineName, specFile, ...rest] = positionals;
  if (engineName === undefined || specFile === undefined) throw new UsageError('expected an engine (k6 or artillery) and a load spec file');
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const engine = engineOf(engineName);
  const spec = await loadSpecFromFile(specFile, values);
  const target = typeof values.target === 'string' ? parseTarget(values.target) : undefined;
  const expectedLatencyMs = numberOption(values, 'expected-latency', 0.1, 600_000);
  const exported = exportLoadSpec(spec, engine, { target, expectedLatencyMs });
  if (typeof values.out === 'string') {
    const file = path.resolve(values.out);
    await fs.writeFile(file, exported.content);
    io.stderr.write(`Wrote the ${engine} script to ${file}\n`);
  } else {
    io.stdout.write(exported.content);
  }
  for (const note of exported.notes) io.stderr.write(`note: ${note}\n`);
  return EXIT.ok;
}

export function importCommand(withEngine: WithEngine): CliCommand {
  return {
    summary: 'Import an exported JSON report (runs, sweeps), or k6 or Artillery results as a load run',
    usage: `import <report.json>\n           ${EXTERNAL_IMPORT_USAGE}`,
    options: { spec: { type: 'string' }, sweep: { type: 'string' }, point: { type: 'string' }, 'engine-version': { type: 'string' } },
    run: async ({ positionals, values }, io) => {
      const [first, ...rest] = positionals;
      if ((first === 'k6' || first === 'artillery') && rest.length) return runExternalImport(first, rest, values, io, withEngine);
      const external = ['spec', 'sweep', 'point', 'engine-version'].find((name) => values[name] !== undefined);
      if (external) throw new UsageError(`--${external} applies to k6 and Artillery results (import k6 <file> …)`);
      if (positionals.length !== 1) throw new TunebenchError('TB_ARGUMENT_COUNT', { expected: `one file; got ${positionals.length}` });
      const file = positionals[0]!;
      const content = await readInput(file);
      const result = await withEngine(io, (engine) => engine.call('runs.import', { fileName: path.basename(file), content }));
      io.stdout.write(`${describeImport(result)}\n`);
      return EXIT.ok;
    },
  };
}

export const exportCommand: CliCommand = {
  summary: 'Export a load spec as a k6 or Artillery script, to run on many machines',
  usage: EXPORT_USAGE,
  options: { out: { type: 'string' }, point: { type: 'string' }, target: { type: 'string' }, 'expected-latency': { type: 'string' } },
  run: async ({ positionals, values }, io) => runExport(positionals, values, io),
};

/** `tunebench import k6|artillery …`. */
export async function runExternalImport(
  engineName: ExternalEngine,
  files: string[],
  values: CliValues,
  io: CliIo,
  withEngine: WithEngine,
): Promise<ExitCode> {
  if (!files.length) throw new UsageError(`expected the ${engineName} results file(s)`);
  if (engineName === 'artillery' && files.length > 1) throw new UsageError('Artillery writes one report per run (run-fargate merges its instances): give one file');
  const point = numberOption(values, 'point', 0, 10_000, true);
  const sweepId = typeof values.sweep === 'string' ? values.sweep : undefined;
  if ((sweepId === undefined) !== (point === undefined)) throw new UsageError('--sweep and --point go together');
  const specFile = typeof values.spec === 'string' ? values.spec : undefined;
  const spec = specFile ? await loadSpecFromFile(specFile, {}) : undefined;
  const engineVersion = typeof values['engine-version'] === 'string' ? values['engine-version'].slice(0, 40) : undefined;
  for (const file of files) {
    try {
      const { size } = await fs.stat(file);
      if (engineName === 'artillery' && size > MAX_IMPORT_BYTES) {
        throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: `larger than the import limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB` });
      }
    } catch (error) {
      if (error instanceof TunebenchError) throw error;
      throw new TunebenchError('TB_IMPORT_INVALID', { file, detail: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message });
    }
  }
  const text = engineName === 'artillery' ? await fs.readFile(files[0]!, 'utf8') : undefined;
  const outcome = await withEngine(io, (engine) =>
    engine.studies.importExternal({
      engine: engineName,
      file: files.map((file) => path.basename(file)).join(', '),
      ...(engineName === 'k6' ? { sources: files.map((file) => fileSource(file, path.basename(file))) } : { text: text! }),
      ...(spec ? { spec, specSource: specFile } : {}),
      ...(sweepId !== undefined && point !== undefined ? { sweep: { sweepId, point } } : {}),
      ...(engineVersion ? { engineVersion } : {}),
    }),
  );
  io.stdout.write(describeExternalImport(outcome, sweepId, point));
  for (const warning of outcome.warnings) io.stderr.write(`warning: ${warning}\n`);
  return EXIT.ok;
}

export function describeExternalImport(outcome: ExternalImportOutcome, sweepId?: string, point?: number): string {
  const { run } = outcome;
  const metric = (name: string) => (run.summary[name] ? formatValue(run.summary[name].value, run.summary[name].unit) : '–');
  const lines = [
    describeImport({ ...outcome, sweeps: [] }),
    `Run ${outcome.runId} (${run.name}): throughput ${metric('throughput')}, latency p50 ${metric('latency.p50')}, p99 ${metric('latency.p99')}, errors ${metric('errors')}` +
      (run.summary.achievedRatio ? `, achieved ${metric('achievedRatio')} of the requested ${metric('requestedRate')}` : '') +
      '.',
  ];
  if (sweepId !== undefined && outcome.repeat !== undefined) lines.push(`It is repeat ${outcome.repeat} of point ${point} of sweep ${sweepId}.`);
  return `${lines.join('\n')}\n`;
}

function engineOf(name: string): ExternalEngine {
  const parsed = ExternalEngineSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`unknown engine "${name}"; engines: ${ExternalEngineSchema.options.join(', ')}`);
  return parsed.data;
}

/** A load spec file, or one point (--point) of a load sweep spec file. */
async function loadSpecFromFile(file: string, values: CliValues): Promise<LoadSpec> {
  const parsed = await readSpecFile(file);
  const point = numberOption(values, 'point', 0, 10_000, true);
  if (parsed.type === 'experiment') {
    if (point !== undefined) throw new UsageError('--point applies to a sweep spec');
    return parseLoadSpec(parsed.spec);
  }
  const sweep: SweepSpec = parsed.spec;
  const points = expandPoints(sweep);
  if (point === undefined) {
    throw new UsageError(`${file} is a sweep of ${points.length} point(s); pick one with --point (${points.map((p) => `${p.index}: ${describeSettings(p.settings)}`).join('; ')})`);
  }
  const chosen = points.find((candidate) => candidate.index === point);
  if (!chosen) throw new UsageError(`the sweep has no point ${point} (points 0 to ${points.length - 1})`);
  return parseLoadSpec(chosen.spec);
}

/** "latency.p99<50", "throughput >= 1000", "errorRate<1" (percent). */
export function parseTarget(text: string): AnalysisTarget {
  const match = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(?:ms|%|req\/s)?\s*$/.exec(text);
  if (!match) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: '--target', rule: `a metric, < or > and a number, like "latency.p99<50"; got ${JSON.stringify(text)}` });
  return AnalysisTargetSchema.parse({ metric: match[1], op: match[2], value: Number(match[3]) });
}

function numberOption(values: CliValues, name: string, min: number, max: number, integer = false): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: `--${name}`, rule: `${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got ${JSON.stringify(raw)}` });
  }
  return value;
}
