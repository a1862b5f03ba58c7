import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../shared/errors.js';
import { SafeIdSchema } from '../../shared/ids.js';
import { DistributionSchema, MetricValueSchema, RunEventSchema, SeriesSchema } from '../../shared/metrics.js';
import { EnvironmentSchema, RUN_RECORD_FORMAT, type RunRecord } from '../../shared/run-record.js';
import type { JournalDelta } from './recorder.js';
import type { RunStore } from './store.js';

/** A run's journal sits beside where its record will be: runs/<id>.journal.ndjson. */
export const JOURNAL_SUFFIX = '.journal.ndjson';
/** What a run measured reaches its journal at least this often. */
export const JOURNAL_FLUSH_MS = 1_000;

const HeaderSchema = z.object({
  type: z.literal('run'),
  journal: z.literal(1),
  id: SafeIdSchema,
  kind: z.string().min(1),
  name: z.string(),
  spec: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
  environment: EnvironmentSchema,
  origin: z.object({ rerunOf: SafeIdSchema.optional(), sweepId: SafeIdSchema.optional(), point: z.number().optional() }).optional(),
  /** The workbench process that writes the journal, and when it started (Linux clock ticks), so a live one is never taken for dead. */
  pid: z.number().int(),
  processStart: z.string().nullable(),
});
export type JournalHeader = z.infer<typeof HeaderSchema>;

const DeltaSchema = z.object({
  type: z.literal('delta'),
  at: z.string(),
  elapsedMs: z.number(),
  series: z.record(z.string(), SeriesSchema),
  events: z.array(RunEventSchema),
  summary: z.record(z.string(), MetricValueSchema),
  progress: z.object({ done: z.number(), total: z.number() }).optional(),
  distributions: z.record(z.string(), DistributionSchema).optional(),
});

/**
 * The append-only journal of one run in progress: a header line, then one
 * line per flush with what was measured since the last. Written at least once
 * a second and synced, so a workbench killed mid-run leaves everything up to
 * its last second; removed only after the run's record is safely saved.
 * Appends are serialized; a failed append (disk full) is reported once and the
 * run goes on in memory.
 */
export class RunJournal {
  private queue: Promise<void> = Promise.resolve();
  private failed: Error | undefined;

  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /** Creates the journal (never over an existing file) with its header line. */
  static async create(file: string, header: Omit<JournalHeader, 'type' | 'journal' | 'pid' | 'processStart'>): Promise<RunJournal> {
    const handle = await fs.open(file, 'wx');
    try {
      const line: JournalHeader = { type: 'run', journal: 1, ...header, pid: process.pid, processStart: processStartTicks(process.pid) };
      await handle.write(`${JSON.stringify(line)}\n`);
      await handle.datasync();
    } catch (error) {
      await handle.close().catch(() => {});
      await fs.rm(file, { force: true }).catch(() => {});
      throw error;
    }
    return new RunJournal(file, handle);
  }

  /** The first error an append met, if any: the journal then stopped, the run did not. */
  get error(): Error | undefined {
    return this.failed;
  }

  append(delta: JournalDelta): Promise<void> {
    const line = `${JSON.stringify({ type: 'delta', at: new Date().toISOString(), ...delta })}\n`;
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        await this.handle.write(line);
        await this.handle.datasync();
      } catch (error) {
        this.failed = error as Error;
      }
    });
    return this.queue;
  }

  /** Finishes pending appends and closes the file; the journal stays for recovery. */
  async close(): Promise<void> {
    await this.queue;
    await this.handle.close().catch(() => {});
  }

  /** Closes and deletes the journal: only once the record is saved. */
  async remove(): Promise<void> {
    await this.close();
    await fs.rm(this.file, { force: true });
  }
}

/** A run rebuilt from its journal, and what could not be read of it. */
export interface RebuiltRun {
  record: RunRecord;
  header: JournalHeader;
  /** Samples recovered across all series. */
  samples: number;
  warnings: string[];
}

/**
 * The record of a run whose workbench died: everything up to the journal's
 * last complete line, status `interrupted`. A torn last line (the process
 * died mid-write) is skipped with a warning; an unreadable header makes the
 * journal unusable (TB_IMPORT_INVALID naming why).
 */
export function rebuildFromJournal(text: string, file: string): RebuiltRun {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const warnings: string[] = [];
  const invalid = (detail: string) => new TunebenchError('TB_IMPORT_INVALID', { file, detail });
  let header: JournalHeader;
  try {
    const parsed = HeaderSchema.safeParse(JSON.parse(lines[0] ?? ''));
    if (!parsed.success) throw invalid('its first line is not a run journal header');
    header = parsed.data;
  } catch (error) {
    throw error instanceof TunebenchError ? error : invalid('its first line is not JSON');
  }
  const series: RunRecord['series'] = {};
  const events: RunRecord['events'] = [];
  let summary: RunRecord['summary'] = {};
  let distributions: RunRecord['distributions'] = {};
  let elapsedMs = 0;
  let lastAt = header.startedAt;
  for (let index = 1; index < lines.length; index++) {
    let delta: z.infer<typeof DeltaSchema>;
    try {
      const parsed = DeltaSchema.safeParse(JSON.parse(lines[index]!));
      if (!parsed.success) throw new Error('not a journal line');
      delta = parsed.data;
    } catch {
      warnings.push(
        index === lines.length - 1
          ? `the last line of ${path.basename(file)} was cut off mid-write; the run is recovered up to the line before`
          : `line ${index + 1} of ${path.basename(file)} could not be read and was skipped`,
      );
      continue;
    }
    for (const [name, points] of Object.entries(delta.series)) {
      const target = (series[name] ??= { unit: points.unit, ...(points.label ? { label: points.label } : {}), t: [], v: [] });
      for (let i = 0; i < points.t.length; i++) {
        target.t.push(points.t[i]!);
        target.v.push(points.v[i]!);
      }
    }
    events.push(...delta.events);
    summary = delta.summary;
    if (delta.distributions) distributions = delta.distributions;
    elapsedMs = delta.elapsedMs;
    lastAt = delta.at;
  }
  const samples = Object.values(series).reduce((sum, s) => sum + s.t.length, 0);
  const record: RunRecord = {
    format: RUN_RECORD_FORMAT,
    id: header.id,
    kind: header.kind,
    name: header.name,
    spec: header.spec,
    environment: header.environment,
    status: 'interrupted',
    startedAt: header.startedAt,
    endedAt: lastAt,
    durationMs: elapsedMs,
    error: new TunebenchError('TB_RUN_INTERRUPTED', { at: lastAt }).toPayload(),
    summary,
    series,
    events,
    distributions,
    artifacts: [],
    ...(header.origin ? { origin: header.origin } : {}),
  };
  return { record, header, samples, warnings };
}

/**
 * On start: every journal without a record is a run whose workbench died.
 * Each becomes an `interrupted` run, saved like any other, and its journal is
 * removed once the record is safe. A journal whose writer is still alive
 * (another Tunebench on the same data directory) is left alone; a journal of
 * a run whose record exists is a leftover and goes. Returns what to tell the user.
 */
export async function recoverInterruptedRuns(store: RunStore, isAlive: (header: JournalHeader) => boolean = ownerAlive): Promise<string[]> {
  const runsDir = path.join(store.dataDir, 'runs');
  const notes: string[] = [];
  const names = await fs.readdir(runsDir).catch(() => [] as string[]);
  for (const name of names.filter((entry) => entry.endsWith(JOURNAL_SUFFIX))) {
    const id = name.slice(0, -JOURNAL_SUFFIX.length);
    if (!store.acceptsId(id)) continue;
    const file = store.journalFileOf(id);
    if (store.has(id)) {
      await fs.rm(file, { force: true });
      continue;
    }
    let rebuilt: RebuiltRun;
    try {
      rebuilt = rebuildFromJournal(await fs.readFile(file, 'utf8'), file);
    } catch (error) {
      const aside = path.join(runsDir, 'corrupt', `${name}.${Date.now()}`);
      await fs.mkdir(path.dirname(aside), { recursive: true });
      await fs.rename(file, aside).catch(() => {});
      notes.push(`The journal ${name} could not be read (${(error as Error).message}); moved to ${aside}`);
      continue;
    }
    if (rebuilt.header.id !== id) continue;
    if (isAlive(rebuilt.header)) continue;
    await store.save(rebuilt.record);
    await fs.rm(file, { force: true });
    notes.push(
      `Run "${rebuilt.record.name}" (${id}) was interrupted: the workbench stopped during it. ` +
        `Its ${rebuilt.samples} samples up to ${rebuilt.record.endedAt} were recovered and saved as an interrupted run` +
        (rebuilt.warnings.length ? ` (${rebuilt.warnings.join('; ')})` : '') +
        '.',
    );
  }
  return notes;
}

/** Whether the process that wrote a journal is still the same process, running. */
function ownerAlive(header: JournalHeader): boolean {
  if (header.pid === process.pid && header.processStart === processStartTicks(process.pid)) return true;
  try {
    process.kill(header.pid, 0);
  } catch {
    return false;
  }
  // A live pid may be a new process that reused the number: the start time tells them apart where Linux offers it.
  const start = processStartTicks(header.pid);
  return start === null || header.processStart === null || start === header.processStart;
}

/** A process's start time in clock ticks since boot (/proc/<pid>/stat field 22), or null off Linux. */
function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
