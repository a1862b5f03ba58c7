import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZodError } from 'zod';
import { TunebenchError } from '../../shared/errors.js';
import { RunListItem, RunRecord, RunRecordSchema } from '../../shared/run-record.js';
import { describeZodError } from '../../shared/validation.js';
import { BoundedCache } from './bounded-cache.js';
import { writeFileAtomic } from './atomic-file.js';
import { RunIndexFile, type IndexEntry } from './run-index.js';
import { JOURNAL_SUFFIX } from './run-journal.js';
import { pathInside, quoteId, readFileInside } from './safe-path.js';

const RECORD_SUFFIX = '.json';
/** Folders of the store's own beside the per-run artifact folders: no run may be called so. */
const RESERVED_IDS = new Set(['corrupt']);
/** Record files stat'ed at once while opening: enough to hide latency, few enough not to exhaust file handles. */
const OPEN_CONCURRENCY = 64;
/** Parsed records kept in memory, by the size of their JSON: a compare of two 100,000-job runs fits many times over. */
export const DEFAULT_RECORD_CACHE_BYTES = 64 * 1024 * 1024;

export interface RunStoreOptions {
  /** What the runs list shows of a record besides its name and status. */
  headlineOf?: (record: RunRecord) => RunListItem['headline'];
  /** The settings that tell a run apart (its kind's automatic name from the spec), for the runs list. */
  settingsOf?: (record: RunRecord) => string | undefined;
  /** Budget of the parsed-record cache in bytes of JSON; 0 turns it off. */
  cacheBytes?: number;
}

/** A file's identity on disk: an atomic write renames a new file over it, so any change shows here. */
interface FileVersion {
  mtimeMs: number;
  size: number;
  ino: number;
}

/**
 * Run records on disk: one JSON file per run in <dataDir>/runs. Writes are
 * atomic (temp file, fsync, rename) so a crash mid-write never leaves half a
 * record. A record that cannot be read is moved to runs/corrupt/ with a
 * warning: never deleted, and never in the way of starting.
 *
 * The runs list comes from an index file beside the runs folder (RunIndexFile),
 * checked entry by entry against each record file's version, so opening
 * thousands of runs reads one small file and stats the rest; a record is read
 * only when opened, or when it changed since it was indexed.
 *
 * Records just saved or read stay parsed in a cache bounded by bytes, keyed by
 * the file's version (mtime, size, inode), so compare and reports right after
 * runs neither re-read nor re-validate them. Cached records are shared and
 * frozen; their number arrays are shared too and must not be changed in place.
 */
export class RunStore {
  private readonly runsDir: string;
  private readonly corruptDir: string;
  private readonly index = new Map<string, RunListItem>();
  /** The version of each record file its list item was taken from. */
  private readonly versions = new Map<string, string>();
  private readonly indexFile: RunIndexFile;
  private readonly warningList: string[] = [];
  private readonly headlineOf: (record: RunRecord) => RunListItem['headline'];
  private readonly settingsOf: (record: RunRecord) => string | undefined;
  private readonly parsed: BoundedCache<RunRecord>;
  private opened = false;

  constructor(
    readonly dataDir: string,
    options: RunStoreOptions = {},
  ) {
    this.runsDir = path.join(dataDir, 'runs');
    this.corruptDir = path.join(this.runsDir, 'corrupt');
    this.headlineOf = options.headlineOf ?? (() => ({}));
    this.settingsOf = options.settingsOf ?? (() => undefined);
    this.parsed = new BoundedCache(options.cacheBytes ?? DEFAULT_RECORD_CACHE_BYTES);
    this.indexFile = new RunIndexFile(path.join(dataDir, 'runs.index.json'));
  }

  /** Bytes of JSON whose parsed records are held in memory. */
  get cachedBytes(): number {
    return this.parsed.bytes;
  }

  /** Problems found while opening: each names the file and where it was moved. */
  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** The run's artifact folder; TB_INVALID_ID for an id that is unsafe or names one of the store's own folders. */
  runDir(id: string): string {
    return pathInside(this.runsDir, this.checkReserved(id), '', 'run');
  }

  /** Whether a run could be saved under this id (a safe id, not one of the store's own names). */
  acceptsId(id: string): boolean {
    try {
      this.fileOf(id);
      return true;
    } catch {
      return false;
    }
  }

  async open(): Promise<void> {
    if (this.opened) return;
    await fs.mkdir(this.runsDir, { recursive: true });
    const [entries, indexed] = await Promise.all([fs.readdir(this.runsDir, { withFileTypes: true }), this.indexFile.load()]);
    const recordFiles: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      if (entry.name.endsWith('.tmp')) {
        // A write that never reached its rename: the previous version (if any) is intact.
        await fs.rm(path.join(this.runsDir, entry.name), { force: true });
        continue;
      }
      if (!entry.name.endsWith(RECORD_SUFFIX)) continue;
      recordFiles.push(entry.name);
    }
    let stale = indexed.size !== recordFiles.length;
    await forEachConcurrently(recordFiles, OPEN_CONCURRENCY, async (name) => {
      const file = path.join(this.runsDir, name);
      const stats = await fs.stat(file).catch(() => undefined);
      if (!stats) return;
      const known = indexed.get(name);
      if (known && known.version === versionKey(stats) && `${known.item.id}${RECORD_SUFFIX}` === name && this.acceptsId(known.item.id)) {
        this.index.set(known.item.id, known.item);
        this.versions.set(known.item.id, known.version);
        return;
      }
      stale = true;
      try {
        const record = await this.readFile(file);
        this.index.set(record.id, this.toListItem(record));
      } catch (error) {
        await this.setAside(file, error instanceof Error ? error.message : String(error));
      }
    });
    if (stale) await this.saveIndex();
    this.opened = true;
  }

  /** Waits for pending index writes; call before the process ends. */
  async close(): Promise<void> {
    await this.indexFile.flush();
  }

  list(): RunListItem[] {
    return [...this.index.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  async get(id: string): Promise<RunRecord> {
    if (!this.index.has(id)) throw new TunebenchError('TB_RUN_NOT_FOUND', { id });
    const file = this.fileOf(id);
    try {
      const cached = this.parsed.get(id, versionKey(await fs.stat(file)));
      if (cached) return cached;
      const indexedVersion = this.versions.get(id);
      const record = await this.readFile(file);
      if (this.versions.get(id) !== indexedVersion) {
        // Changed on disk since it was listed: the list follows the record.
        this.index.set(id, this.toListItem(record));
        await this.saveIndex();
      }
      return record;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        await this.setAside(file, error instanceof Error ? error.message : String(error));
      }
      await this.forget(id);
      throw new TunebenchError('TB_RUN_NOT_FOUND', { id });
    }
  }

  async save(record: RunRecord): Promise<void> {
    await this.write(record, false);
  }

  /**
   * Saves a record under an id nothing has yet (imports): fails with
   * TB_STORE_WRITE rather than replacing an existing file.
   */
  async saveNew(record: RunRecord): Promise<void> {
    if (this.index.has(record.id)) {
      throw new TunebenchError('TB_STORE_WRITE', { id: record.id, detail: 'a run with this id already exists' });
    }
    await this.write(record, true);
  }

  /** Takes back a record saveNew created (a failed import's rollback): its file only, never a folder. */
  async removeNew(id: string): Promise<void> {
    const file = this.fileOf(id);
    this.parsed.delete(id);
    await this.forget(id);
    await fs.rm(file, { force: true });
  }

  private async forget(id: string): Promise<void> {
    this.index.delete(id);
    this.versions.delete(id);
    await this.saveIndex();
  }

  /** Writes the index (coalesced with other saves in flight); the list is right on disk when a save resolves. */
  private saveIndex(): Promise<void> {
    return this.indexFile.save(() => {
      const entries = new Map<string, IndexEntry>();
      for (const [id, item] of this.index) {
        const version = this.versions.get(id);
        if (version) entries.set(`${id}${RECORD_SUFFIX}`, { version, item });
      }
      return entries;
    });
  }

  private async write(record: RunRecord, exclusive: boolean): Promise<void> {
    const file = this.fileOf(record.id);
    this.parsed.delete(record.id);
    try {
      const text = JSON.stringify(record);
      const version = await writeFileAtomic(file, text, { exclusive });
      // Cached as the next read would return it; a record that would not read back (NaN in a series) is not cached.
      const readBack = RunRecordSchema.safeParse(record);
      if (readBack.success) this.parsed.set(record.id, versionKey(version), frozenCopy(readBack.data), text.length);
      this.versions.set(record.id, versionKey(version));
    } catch (error) {
      throw new TunebenchError('TB_STORE_WRITE', {
        id: record.id,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    this.index.set(record.id, this.toListItem(record));
    await this.saveIndex();
  }

  async delete(id: string): Promise<void> {
    if (!this.index.has(id)) throw new TunebenchError('TB_RUN_NOT_FOUND', { id });
    // Both paths are built (and checked) before anything is removed.
    const file = this.fileOf(id);
    const artifacts = this.runDir(id);
    this.parsed.delete(id);
    await fs.rm(file, { force: true });
    await fs.rm(artifacts, { recursive: true, force: true });
    await this.forget(id);
  }

  /**
   * One of a run's files, looked up by name in its record's artifact list and
   * read from the run's own folder; never a path given by a caller.
   */
  async readArtifact(id: string, file: string, maxBytes: number): Promise<{ path: string; content: string }> {
    const record = await this.get(id);
    if (!record.artifacts.some((artifact) => artifact.file === file)) {
      throw new TunebenchError('TB_ARTIFACT_NOT_FOUND', { runId: id, file: quoteId(file) });
    }
    return readFileInside(this.runDir(id), file, id, maxBytes);
  }

  /** Where a run in progress keeps its journal: beside its record-to-be. */
  journalFileOf(id: string): string {
    return pathInside(this.runsDir, this.checkReserved(id), JOURNAL_SUFFIX, 'run');
  }

  /** The record's file in the data directory; TB_INVALID_ID for an id that is unsafe or reserved. */
  fileOf(id: string): string {
    return pathInside(this.runsDir, this.checkReserved(id), RECORD_SUFFIX, 'run');
  }

  private checkReserved(id: string): string {
    if (RESERVED_IDS.has(id.toLowerCase())) {
      throw new TunebenchError('TB_INVALID_ID', { what: 'run', id: quoteId(id), detail: 'the name is reserved for the store\'s own folder' });
    }
    return id;
  }

  /** Reads, parses and validates a record, and caches it under the version of the file it came from. */
  private async readFile(file: string): Promise<RunRecord> {
    // Stat and read through one handle: a rename over the file in between cannot mix two versions.
    const handle = await fs.open(file, 'r');
    let text: string;
    let version: FileVersion;
    try {
      version = await handle.stat();
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = RunRecordSchema.safeParse(json);
    if (!parsed.success) throw new Error(`not a run record (${firstProblems(parsed.error)})`);
    if (`${parsed.data.id}${RECORD_SUFFIX}` !== path.basename(file)) {
      throw new Error(`its id "${parsed.data.id}" does not match its file name`);
    }
    this.checkReserved(parsed.data.id);
    const record = frozenCopy(parsed.data);
    this.parsed.set(record.id, versionKey(version), record, text.length);
    this.versions.set(record.id, versionKey(version));
    return record;
  }

  private async setAside(file: string, reason: string): Promise<void> {
    this.parsed.delete(path.basename(file, RECORD_SUFFIX));
    await fs.mkdir(this.corruptDir, { recursive: true });
    const target = path.join(this.corruptDir, `${path.basename(file)}.${Date.now()}`);
    try {
      await fs.rename(file, target);
      this.warningList.push(`Run file ${path.basename(file)} could not be read (${reason}); moved to ${target}`);
    } catch (error) {
      this.warningList.push(
        `Run file ${path.basename(file)} could not be read (${reason}) and could not be moved aside: ${(error as Error).message}`,
      );
    }
  }

  private toListItem(record: RunRecord): RunListItem {
    return {
      id: record.id,
      kind: record.kind,
      name: record.name,
      status: record.status,
      startedAt: record.startedAt,
      durationMs: record.durationMs,
      headline: this.headlineOf(record),
      ...(record.noise ? { noise: record.noise } : {}),
      ...optional('settings', this.settingsOf(record)),
      ...optional('sweepId', record.origin?.sweepId),
      ...optional('point', record.origin?.point),
    };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Problems named in a set-aside warning; a file that is no record at all fails every field, and the app shows the warning. */
const PROBLEMS_NAMED = 3;

function firstProblems(error: ZodError): string {
  const { issues } = error;
  const named = describeZodError(new ZodError(issues.slice(0, PROBLEMS_NAMED)));
  return issues.length > PROBLEMS_NAMED ? `${named}; and ${issues.length - PROBLEMS_NAMED} more problems` : named;
}

/** Runs `task` over the items with at most `limit` in flight. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(lanes);
}

function versionKey({ mtimeMs, size, ino }: FileVersion): string {
  return `${mtimeMs}:${size}:${ino}`;
}

/**
 * A copy whose objects and object arrays are frozen, so no reader can change
 * what the next one gets. Arrays of numbers are shared, not copied or frozen:
 * freezing a 100,000-number array makes V8 copy it and read it several times
 * slower.
 */
function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    if (typeof value[0] === 'number') return value;
    return Object.freeze(value.map(frozenCopy)) as T;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = frozenCopy(item);
    return Object.freeze(copy) as T;
  }
  return value;
}
