import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { RunListItemSchema, type RunListItem } from '../../shared/run-record.js';
import { writeFileAtomic } from './atomic-file.js';

/** 2: items carry the run's settings and sweep; an index of format 1 is rebuilt from the records. */
const INDEX_FORMAT = 2;

const IndexFileSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  entries: z.array(z.object({ file: z.string(), version: z.string(), item: RunListItemSchema })),
});

export interface IndexEntry {
  /** The record file's version when the item was taken from it (mtime, size, inode). */
  version: string;
  item: RunListItem;
}

/**
 * The runs list kept beside the runs folder (<dataDir>/runs.index.json), so
 * opening a data directory of years of runs reads one file and stats the
 * records instead of parsing every one. It is never the only copy of anything: an entry
 * is used only while its record file has the version it was taken from, a
 * missing or unreadable index is rebuilt from the records, and writes are
 * atomic and coalesced (one in flight, at most one more queued).
 */
export class RunIndexFile {
  private writing: Promise<void> | undefined;
  private pending: (() => Map<string, IndexEntry>) | undefined;

  constructor(readonly file: string) {}

  /** The entries by record file name; empty when the index is missing, unreadable or of another format. */
  async load(): Promise<Map<string, IndexEntry>> {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return new Map();
    }
    const parsed = IndexFileSchema.safeParse(json);
    if (!parsed.success) return new Map();
    return new Map(parsed.data.entries.map(({ file, version, item }) => [file, { version, item }]));
  }

  /** Writes the entries the snapshot function returns when the write starts, so a burst of saves writes once or twice. */
  save(snapshot: () => Map<string, IndexEntry>): Promise<void> {
    this.pending = snapshot;
    this.writing ??= this.drain();
    return this.writing;
  }

  /** Resolves when every requested write has finished. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const snapshot = this.pending;
        this.pending = undefined;
        const entries = [...snapshot()].map(([file, entry]) => ({ file, ...entry }));
        // A failed write costs only speed at the next start: the records are the truth.
        await writeFileAtomic(this.file, JSON.stringify({ format: INDEX_FORMAT, entries })).catch(() => {});
      }
    } finally {
      this.writing = undefined;
    }
  }
}
