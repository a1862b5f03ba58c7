/**
 * `tunebench attach list` and `tunebench attach <pid> --cpu-profile <s> |
 * --allocation-profile <s> | --heap-snapshot`: the Runtime page's "attach to
 * a running process" for a terminal or a CI job. One inspection per call:
 * attach, take it, detach, so the process is left as it was even when the
 * command is stopped half way.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AttachableProcess } from '../shared/attach.js';
import { MAX_PID, PidSchema } from '../shared/attach.js';
import type { FunctionRow, HeapSummary } from '../shared/runtime.js';
import { EXIT, UsageError, type CliCommand, type CliIo, type CliValues, type ExitCode, type OnStopSignal, type WithEngine } from './cli-core.js';
import type { Engine } from './engine/engine.js';
import { formatNumber, textTable } from './engine/studies/report/format.js';

/** Rows of a profile's or snapshot's top table the terminal shows. */
const TOP_ROWS = 10;

type Inspection = { type: 'cpu-profile'; seconds: number } | { type: 'allocation-profile'; seconds: number } | { type: 'heap-snapshot' };

const INSPECTION_OPTIONS = ['--cpu-profile <seconds>', '--allocation-profile <seconds>', '--heap-snapshot'];

function secondsFrom(option: string, raw: string | boolean | undefined): number {
  const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 300) {
    throw new UsageError(`${option} takes a number of seconds from 0.1 to 300; got "${String(raw)}"`);
  }
  return seconds;
}

/** Exactly one inspection per call: which one the options name. */
function inspectionFrom(values: CliValues): Inspection {
  const chosen: Inspection[] = [];
  if (values['cpu-profile'] !== undefined) chosen.push({ type: 'cpu-profile', seconds: secondsFrom('--cpu-profile', values['cpu-profile']) });
  if (values['allocation-profile'] !== undefined) {
    chosen.push({ type: 'allocation-profile', seconds: secondsFrom('--allocation-profile', values['allocation-profile']) });
  }
  if (values['heap-snapshot'] === true) chosen.push({ type: 'heap-snapshot' });
  if (chosen.length !== 1) {
    throw new UsageError(`${chosen.length === 0 ? 'say what to take' : 'take one thing per call'}: ${INSPECTION_OPTIONS.join(', ')}`);
  }
  return chosen[0]!;
}

function pidFrom(raw: string): number {
  const parsed = PidSchema.safeParse(/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
  if (!parsed.success) throw new UsageError(`<pid> must be a process id (a whole number from 1 to ${MAX_PID}); got "${raw}"`);
  return parsed.data;
}

function listText(processes: AttachableProcess[], user: string): string {
  if (!processes.length) return `No other Node.js process is running on this machine (looked as ${user}).\n`;
  const rows = processes.map((entry) => [
    String(entry.pid),
    entry.user,
    entry.inspector + (entry.inspectorPort !== undefined ? ` :${entry.inspectorPort}` : ''),
    entry.nodeVersion ?? '?',
    entry.attachable ? 'yes' : `no: ${entry.reason ?? 'not allowed'}`,
    entry.command,
  ]);
  return textTable(['PID', 'USER', 'INSPECTOR', 'NODE', 'ATTACHABLE', 'COMMAND'], rows);
}

function functionsText(rows: FunctionRow[], selfHeader: string, self: (row: FunctionRow) => string): string {
  const shown = rows.slice(0, TOP_ROWS).map((row) => [
    self(row),
    `${formatNumber(row.share * 100)} %`,
    row.functionName || '(anonymous)',
    row.url ? `${row.url}:${row.line}` : '',
  ]);
  return textTable([selfHeader, 'SHARE', 'FUNCTION', 'WHERE'], shown);
}

function heapText(summary: HeapSummary): string {
  const rows = summary.top.slice(0, TOP_ROWS).map((row) => [`${formatNumber(row.selfSize / 1_048_576)} MB`, formatNumber(row.count), row.name]);
  return textTable(['SELF SIZE', 'COUNT', 'CONSTRUCTOR'], rows);
}

/** Takes the inspection; answers what to print and the file it wrote in the data directory. */
async function inspect(engine: Engine, processId: string, inspection: Inspection): Promise<{ file: string; text: string; json: unknown }> {
  switch (inspection.type) {
    case 'cpu-profile': {
      const profile = await engine.call('runtime.cpuProfile', { processId, seconds: inspection.seconds });
      const head = `CPU profile: ${formatNumber(profile.totalMs)} ms sampled in ${formatNumber(profile.samples)} samples\n`;
      return { file: profile.path, text: head + functionsText(profile.top, 'SELF', (row) => `${formatNumber(row.self)} ms`), json: profile };
    }
    case 'allocation-profile': {
      const profile = await engine.call('runtime.allocationProfile', { processId, seconds: inspection.seconds });
      const head = `Allocation profile: ${formatNumber(profile.totalBytes / 1_048_576)} MB sampled as allocated\n`;
      return { file: profile.path, text: head + functionsText(profile.top, 'ALLOCATED', (row) => `${formatNumber(row.self / 1_048_576)} MB`), json: profile };
    }
    case 'heap-snapshot': {
      const snapshot = await engine.call('runtime.heapSnapshot', { processId, confirmLarge: true });
      const head = `Heap snapshot: ${formatNumber(snapshot.summary.totalSize / 1_048_576)} MB in ${formatNumber(snapshot.summary.totalCount)} objects\n`;
      return { file: snapshot.path, text: head + heapText(snapshot.summary), json: snapshot };
    }
  }
}

async function attachOnce(engine: Engine, pid: number, values: CliValues, io: CliIo, onStopSignal: OnStopSignal): Promise<ExitCode> {
  const inspection = inspectionFrom(values);
  const out = typeof values.out === 'string' ? path.resolve(values.out) : undefined;
  const json = values.json === true;
  // attach.open takes only a pid the last list returned: the list says why one may not be attached.
  const listed = (await engine.call('attach.list', {})).processes.find((entry) => entry.pid === pid);
  if (!listed) throw new UsageError(`pid ${pid} is not a running Node.js process (tunebench attach list shows those there are)`);
  const detach = () => engine.call('attach.close', { pid });
  let stopped = false;
  let attached = false;
  // Ctrl-C at any point detaches, so the process does not keep an inspector it never asked for. Registered before
  // attaching: a signal while attach.open is in flight is seen once it resolves.
  const disposeStop = onStopSignal(async () => {
    stopped = true;
    if (attached) await detach().catch(() => undefined);
  });
  const stoppedEarly = () => {
    io.stderr.write(`Stopped: detached from pid ${pid}, nothing taken\n`);
    return EXIT.stoppedBySignal;
  };
  try {
    const opened = await engine.call('attach.open', { pid });
    attached = true;
    if (stopped) {
      await detach().catch(() => undefined);
      return stoppedEarly();
    }
    if (!json) io.stderr.write(`Attached to pid ${pid}${opened.nodeVersion ? ` (Node.js ${opened.nodeVersion})` : ''} on 127.0.0.1:${opened.port}\n`);
    const taken = await inspect(engine, opened.processId, inspection).catch((error: unknown) => {
      if (stopped) return undefined;
      throw error;
    });
    if (stopped || !taken) return stoppedEarly();
    const saved = out ?? taken.file;
    if (out) {
      await fs.copyFile(taken.file, out).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot write --out ${out} (${error.code ?? error.message}); the file is kept at ${taken.file}`);
      });
    }
    if (json) io.stdout.write(`${JSON.stringify({ ...(taken.json as object), saved }, null, 2)}\n`);
    else io.stdout.write(`${taken.text}Saved: ${saved}\n`);
    return EXIT.ok;
  } finally {
    disposeStop();
    if (attached && !stopped) {
      const closed = await detach();
      if (!json) io.stderr.write(`Detached: pid ${pid} ${closed.running ? 'still running' : 'has exited'}, inspector ${closed.inspector === 'closed' ? 'closed again' : 'left open as it was'}\n`);
    }
  }
}

export function attachCommand(withEngine: WithEngine, onStopSignal: OnStopSignal): CliCommand {
  return {
    summary: 'List local Node.js processes, or attach to one by pid and take a CPU profile, an allocation profile or a heap snapshot',
    usage:
      'attach list [--json]\n' +
      '           attach <pid> (--cpu-profile <seconds> | --allocation-profile <seconds> | --heap-snapshot) [--out <file>] [--json]',
    options: {
      json: { type: 'boolean' },
      out: { type: 'string' },
      'cpu-profile': { type: 'string' },
      'allocation-profile': { type: 'string' },
      'heap-snapshot': { type: 'boolean' },
    },
    run: async ({ positionals, values }, io) => {
      const [target, ...rest] = positionals;
      if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
      if (target === undefined) throw new UsageError('missing list or <pid>');
      if (target === 'list') {
        return withEngine(io, async (engine) => {
          const { processes, user } = await engine.call('attach.list', {});
          io.stdout.write(values.json === true ? `${JSON.stringify({ processes, user }, null, 2)}\n` : listText(processes, user));
          return EXIT.ok;
        });
      }
      const pid = pidFrom(target);
      inspectionFrom(values);
      return withEngine(io, (engine) => attachOnce(engine, pid, values, io, onStopSignal));
    },
  };
}
