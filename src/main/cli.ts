/**
 * The headless CLI: the same engine facade as the desktop and web hosts, no
 * UI. Each command is one entry in `commands`; adding one means adding an
 * entry. Importing this module runs nothing: `main(argv, io)` runs one
 * invocation (cli-entry.ts, built as out/main/cli.js and run through
 * bin/tunebench.js, calls it with the process's; tests call it in-process).
 *
 * Exit codes come from cli-core.ts's EXIT: 0 success, 1 failure (a failed
 * run, an engine error), 2 bad input (usage, spec, parameters), 130 a run
 * stopped by Ctrl-C.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StreamPayload } from '../shared/contract.js';
import { TunebenchError } from '../shared/errors.js';
import type { RunRecord } from '../shared/run-record.js';
import {
  exampleSpecs,
  experimentKinds,
  taskNames,
  taskParamSchemas,
  defaultTaskParams,
  type ExperimentKind,
  type ExperimentSpec,
  type TaskName,
} from '../shared/specs/index.js';
import { describeZodError } from '../shared/validation.js';
import { noiseLine } from '../shared/noise-verdict.js';
import { headlineName } from '../shared/headline-names.js';
import { findingsLines } from './engine/findings/describe.js';
import {
  EXIT,
  EXIT_CODES_LINE,
  UsageError,
  exitCodeOf,
  expectPositionals,
  type CliCommand,
  type CliInput,
  type CliIo,
  type CliOutput,
  type ExitCode,
  type WithEngine,
} from './cli-core.js';
import { compareCommand, readSpecFile, reportCommand, schemaCommand, sweepCommand } from './cli-studies.js';
import { exportCommand, importCommand } from './cli-external.js';
import { doctorCommand } from './cli-doctor.js';
import { servicesCommand } from './cli-services.js';
import { attachCommand } from './cli-attach.js';
import { serveCommand } from './cli-serve.js';
import { writeFileAtomic } from './engine/atomic-file.js';
import { Engine } from './engine/engine.js';
import { formatDuration, formatNumber, formatValue, textTable } from './engine/studies/report/format.js';
import { commandLinePath, defaultDataDir, onStopSignal, workersDirBeside } from './host-binding.js';

export type { CliCommand, CliInput, CliIo, CliOutput, ExitCode } from './cli-core.js';
export { EXIT } from './cli-core.js';

/** Runs `tunebench runs` lists by default: the newest, not years of them. */
const DEFAULT_RUNS_LISTED = 100;

/** How the CLI's user chooses the subject runtime; named by errors. */
const NODE_OPTION = '--node <path>';

/** Opens the engine on the data directory of $TUNEBENCH_DATA_DIR, else ~/.tunebench. */
const withDefaultEngine: WithEngine = (io, use) => withEngine(defaultDataDir(io.env), io, use);

/** Every command, by the name typed after `tunebench`. */
export const commands: Readonly<Record<string, CliCommand>> = {
  run: {
    summary: 'Run an experiment spec and save its run record',
    usage: 'run <spec.json> [--out <dir>] [--json] [--services <tunebench.services.json>]',
    options: {
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: runCommand,
  },
  spec: {
    summary: 'Print an example spec of a kind',
    usage: `spec --example <kind>          kinds: ${experimentKinds.join(', ')}`,
    options: { example: { type: 'string' } },
    run: specCommand,
  },
  task: {
    summary: 'Run one pool task once in a worker thread',
    usage: `task <name> [--params '<json>'] [--json]   tasks: ${taskNames.join(', ')}`,
    options: { params: { type: 'string' }, json: { type: 'boolean' } },
    run: taskCommand,
  },
  runs: {
    summary: 'List saved runs, newest first',
    usage: `runs [--limit <n>] [--json]        the newest ${DEFAULT_RUNS_LISTED} unless --limit says otherwise`,
    options: { json: { type: 'boolean' }, limit: { type: 'string' } },
    run: runsCommand,
  },
  sweep: sweepCommand(withDefaultEngine, onStopSignal),
  compare: compareCommand,
  report: reportCommand(withDefaultEngine),
  import: importCommand(withDefaultEngine),
  export: exportCommand,
  schema: schemaCommand,
  serve: serveCommand(withDefaultEngine, onStopSignal),
  doctor: doctorCommand(withDefaultEngine),
  services: servicesCommand(withDefaultEngine),
  attach: attachCommand(withDefaultEngine, onStopSignal),
  help: {
    summary: 'Show this help, or one command’s',
    usage: 'help [<command>]',
    options: {},
    run: async ({ positionals }, io) => {
      const name = positionals[0];
      if (name === undefined) {
        io.stdout.write(generalUsage());
        return EXIT.ok;
      }
      const command = commandNamed(name);
      if (!command) throw new UsageError(`Unknown command "${name}"`);
      io.stdout.write(commandUsage(name, command));
      return EXIT.ok;
    },
  },
};

/** The command of that name; none for "constructor" and the like. */
function commandNamed(name: string): CliCommand | undefined {
  return Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
}

/**
 * `--node <path>` (or `--node=<path>`) before the command name; the same
 * option after it is parsed with the command's own options.
 */
function takeLeadingNodeOption(argv: readonly string[]): { argv: readonly string[]; nodePath?: string } | { error: string } {
  let nodePath: string | undefined;
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    if (arg === '--node') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('-')) return { error: "Option '--node <path>' argument missing" };
      nodePath = value;
      index += 2;
    } else if (arg.startsWith('--node=')) {
      nodePath = arg.slice('--node='.length);
      index += 1;
    } else {
      break;
    }
  }
  return { argv: argv.slice(index), ...(nodePath !== undefined ? { nodePath } : {}) };
}

/** Runs one CLI invocation (argv without node and the script); never throws, resolves with the exit code. */
export async function main(rawArgv: readonly string[], rawIo: CliIo): Promise<ExitCode> {
  const leading = takeLeadingNodeOption(rawArgv);
  if ('error' in leading) {
    rawIo.stderr.write(`tunebench: ${leading.error}\n\n${generalUsage()}`);
    return EXIT.badInput;
  }
  const argv = leading.argv;
  let io: CliIo = leading.nodePath !== undefined ? { ...rawIo, nodePath: leading.nodePath } : rawIo;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(generalUsage());
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const command = commandNamed(name);
  if (!command) {
    io.stderr.write(`tunebench: unknown command "${name}"\n\n${generalUsage()}`);
    return EXIT.badInput;
  }
  try {
    let parsed: CliInput;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, node: { type: 'string' }, services: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      }) as CliInput;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      io.stdout.write(commandUsage(name, command));
      return EXIT.ok;
    }
    const { node, services, ...values } = parsed.values;
    if (typeof node === 'string') io = { ...io, nodePath: node };
    // The services file this invocation trusts: named here by the user, never by a spec.
    if (typeof services === 'string') io = { ...io, servicesFiles: [path.resolve(services)] };
    parsed = { positionals: parsed.positionals, values };
    return await command.run(parsed, io);
  } catch (error) {
    const usage = error instanceof UsageError ? `\n${commandUsage(name, command)}` : '';
    io.stderr.write(`tunebench ${name}: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return exitCodeOf(error);
  }
}

function generalUsage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  const synopses = Object.values(commands)
    .map((command) => `  tunebench ${command.usage}`)
    .join('\n');
  return (
    `Usage:\n${synopses}\n\nCommands:\n${list}\n\n` +
    'Runs are saved in $TUNEBENCH_DATA_DIR, else ~/.tunebench (run --out <dir> overrides).\n' +
    `Global option: ${NODE_OPTION}  the Node.js that clusters, memory sandboxes and services started with "node" run on (default: node on PATH).\n` +
    'Global option: --services <tunebench.services.json>  trust the services defined in that file for this command (run, sweep, services).\n' +
    `${EXIT_CODES_LINE}\n`
  );
}

function commandUsage(name: string, command: CliCommand): string {
  return `Usage: tunebench ${command.usage}\n${command.summary}.\n`;
}

async function withEngine<T>(dataDir: string, io: CliIo, use: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.create({
    dataDir,
    workersDir: io.workersDir ?? workersDirBeside(import.meta.url),
    host: 'cli',
    nodeRuntime: { ...(io.nodePath !== undefined ? { path: commandLinePath(io.nodePath) } : {}), setting: NODE_OPTION },
    ...(io.servicesFiles ? { servicesFiles: io.servicesFiles } : {}),
  });
  for (const warning of engine.warnings) io.stderr.write(`tunebench: warning: ${warning}\n`);
  try {
    return await use(engine);
  } finally {
    await engine.dispose();
  }
}

// ── run ────────────────────────────────────────────────────────────────────

async function runCommand({ positionals, values }: CliInput, io: CliIo): Promise<ExitCode> {
  const [specFile] = expectPositionals(positionals, ['<spec.json>']) as [string];
  const spec = await readExperimentSpec(specFile);
  const json = values.json === true;
  const dataDir = typeof values.out === 'string' ? path.resolve(values.out) : defaultDataDir(io.env);
  return withEngine(dataDir, io, async (engine) => {
    const progress = new ProgressLine(io.stderr);
    // Frames leave on the recorder's timer, never inside runs.start(), so listening after it misses none.
    const started = engine.runs.start(spec);
    const stopListening = engine.onStream((stream, payload) => {
      if (stream === 'run.frame') {
        const frame = payload as StreamPayload<'run.frame'>;
        if (frame.runId === started.runId) progress.update(frame);
      } else if (stream === 'log') {
        const entry = payload as StreamPayload<'log'>;
        if (entry.level !== 'info') progress.interrupt(`tunebench: ${entry.level}: ${entry.message}\n`);
      }
    });
    let stoppedBySignal = false;
    const stopOnSignal = onStopSignal(async () => {
      stoppedBySignal = true;
      progress.interrupt('Stopping the run; it will be saved as stopped (Ctrl-C again to quit at once)\n');
      await engine.runs.stop(started.runId).catch(() => {
        /* it ended on its own meanwhile */
      });
    });
    if (!progress.live) io.stderr.write(`Running ${spec.kind} experiment as ${started.runId}\n`);
    let record: RunRecord;
    try {
      record = await started.done;
    } finally {
      stopOnSignal();
      stopListening();
      progress.clear();
    }
    const savedTo = engine.runStore.has(record.id) ? engine.runStore.fileOf(record.id) : undefined;
    if (json) {
      io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    } else {
      io.stdout.write(describeRecord(record));
    }
    const report = json ? io.stderr : io.stdout;
    if (record.error) io.stderr.write(`tunebench run: ${record.error.message}\n`);
    if (savedTo) {
      report.write(`Saved to ${savedTo}\n`);
    } else {
      // The data directory refused it (disk full, read-only): the record goes where it can, never nowhere.
      const fallback = await saveFallback(record, io.env);
      report.write(fallback ? `The run could not be saved in the data directory; it was written to ${fallback}\n` : 'The run could not be saved anywhere (see the error above)\n');
    }
    if (record.status === 'completed') return savedTo ? EXIT.ok : EXIT.failed;
    if (record.status === 'stopped') return stoppedBySignal ? EXIT.stoppedBySignal : EXIT.failed;
    return EXIT.failed;
  });
}

/**
 * Where a run goes when the data directory refuses it: $TUNEBENCH_FALLBACK_DIR
 * or the system's temp folder (often another file system), as a bare run
 * record that `tunebench import` takes back.
 */
async function saveFallback(record: RunRecord, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const file = path.join(env.TUNEBENCH_FALLBACK_DIR || os.tmpdir(), `tunebench-unsaved-${record.id}.json`);
  try {
    await writeFileAtomic(file, JSON.stringify(record));
    return file;
  } catch {
    return undefined;
  }
}

/** Reads and validates a spec file; every problem names the file and, for a bad field, the field. */
async function readExperimentSpec(file: string): Promise<ExperimentSpec> {
  const specFile = await readSpecFile(file);
  if (specFile.type === 'sweep') {
    throw new TunebenchError('TB_INVALID_SPEC', { detail: `${file} is a sweep spec; run it with tunebench sweep` });
  }
  return specFile.spec;
}

function describeRecord(record: RunRecord): string {
  const metrics = Object.entries(record.summary).map(([name, metric]) => [metric.label ?? name, formatValue(metric.value, metric.unit)]);
  const width = Math.max(0, ...metrics.map(([name]) => name!.length));
  const lines = [
    `Run ${record.id} (${record.name}) ${record.status} in ${formatDuration(record.durationMs)}`,
    ...metrics.map(([name, value]) => `  ${name!.padEnd(width)}  ${value}`),
    // How quiet the machine was: a number measured on a busy machine is not evidence.
    noiseLine(record.noise),
    // The headline: what the findings rules read in the run.
    ...findingsLines(record.findings),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * One self-rewriting status line on a terminal; silent when stderr is not a
 * terminal, so logs and pipes get no carriage-return noise.
 */
class ProgressLine {
  readonly live: boolean;
  private text = '';

  constructor(private readonly out: CliOutput) {
    this.live = out.isTTY === true;
  }

  update(frame: StreamPayload<'run.frame'>): void {
    if (!this.live) return;
    const seconds = frame.elapsedMs / 1000;
    const parts: string[] = [];
    if (frame.progress) {
      const { done, total } = frame.progress;
      parts.push(`${done}/${total}`);
      if (seconds > 0) parts.push(`${formatNumber(done / seconds)}/s`);
    }
    parts.push(`${seconds.toFixed(1)} s`);
    this.draw(parts.join('  ·  '));
  }

  /** Prints a whole line without tearing the status line, then redraws it. */
  interrupt(message: string): void {
    const text = this.text;
    this.clear();
    this.out.write(message);
    if (text) this.draw(text);
  }

  clear(): void {
    if (this.live && this.text) this.out.write('\r\x1b[2K');
    this.text = '';
  }

  private draw(text: string): void {
    const columns = this.out.columns || 80;
    this.text = text.slice(0, Math.max(10, columns - 1));
    this.out.write(`\r\x1b[2K${this.text}`);
  }
}

// ── spec ───────────────────────────────────────────────────────────────────

async function specCommand({ positionals, values }: CliInput, io: CliIo): Promise<ExitCode> {
  expectPositionals(positionals, []);
  const kind = values.example;
  if (typeof kind !== 'string') throw new UsageError('--example <kind> is required');
  if (!experimentKinds.includes(kind as ExperimentKind)) {
    throw new UsageError(`unknown kind "${kind}"; kinds: ${experimentKinds.join(', ')}`);
  }
  io.stdout.write(`${JSON.stringify(exampleSpecs[kind as ExperimentKind], null, 2)}\n`);
  return EXIT.ok;
}

// ── task ───────────────────────────────────────────────────────────────────

async function taskCommand({ positionals, values }: CliInput, io: CliIo): Promise<ExitCode> {
  const [name] = expectPositionals(positionals, ['<name>']) as [string];
  if (!taskNames.includes(name as TaskName)) {
    throw new TunebenchError('TB_UNKNOWN_TASK', { task: name, known: taskNames.join(', ') });
  }
  const taskName = name as TaskName;
  let params: unknown = defaultTaskParams[taskName];
  if (typeof values.params === 'string') {
    try {
      params = JSON.parse(values.params);
    } catch (error) {
      throw new TunebenchError('TB_INVALID_TASK_PARAMS', {
        task: taskName,
        detail: `--params is not valid JSON (${(error as Error).message})`,
      });
    }
  }
  const checked = taskParamSchemas[taskName].safeParse(params);
  if (!checked.success) {
    throw new TunebenchError('TB_INVALID_TASK_PARAMS', { task: taskName, detail: describeZodError(checked.error) });
  }
  return withEngine(defaultDataDir(io.env), io, async (engine) => {
    const outcome = await engine.call('tasks.run', { task: { name: taskName, params: checked.data } });
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      return EXIT.ok;
    }
    const result = Object.entries(outcome.result)
      .map(([key, value]) => `${key}=${typeof value === 'number' ? String(value) : JSON.stringify(value)}`)
      .join('  ');
    io.stdout.write(`${outcome.task}: ${result}\ntook ${formatDuration(outcome.durationMs)}\n`);
    return EXIT.ok;
  });
}

// ── runs ───────────────────────────────────────────────────────────────────

async function runsCommand({ positionals, values }: CliInput, io: CliIo): Promise<ExitCode> {
  expectPositionals(positionals, []);
  return withEngine(defaultDataDir(io.env), io, async (engine) => {
    const limit = values.limit === undefined ? DEFAULT_RUNS_LISTED : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: '--limit', rule: `a whole number from 1 to 10000; got "${String(values.limit)}"` });
    }
    const { runs, total } = await engine.call('runs.list', { limit });
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return EXIT.ok;
    }
    if (!runs.length) {
      io.stdout.write(`No saved runs in ${engine.dataDir}\n`);
      return EXIT.ok;
    }
    const rows = runs.map((run) => [
      run.id,
      run.status,
      run.name,
      formatDuration(run.durationMs),
      Object.entries(run.headline)
        .map(([name, metric]) => `${headlineName(name, metric.label)} ${formatValue(metric.value, metric.unit)}`)
        .join(', '),
    ]);
    io.stdout.write(textTable(['ID', 'STATUS', 'NAME', 'DURATION', 'HEADLINE'], rows));
    if (total > runs.length) io.stdout.write(`… and ${total - runs.length} older run(s); --limit <n> lists more\n`);
    return EXIT.ok;
  });
}
