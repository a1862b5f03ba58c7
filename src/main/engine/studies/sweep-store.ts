import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TunebenchError } from '../../../shared/errors.js';
import { SweepListItem, SweepRecord, SweepRecordSchema } from '../../../shared/specs/sweep.js';
import { describeZodError } from '../../../shared/validation.js';
import { writeFileAtomic } from '../atomic-file.js';
import { pathInside } from '../safe-path.js';

const SUFFIX = '.json';

/**
 * Sweep records in <dataDir>/sweeps, one JSON file each, written atomically
 * after every finished run so a crash loses at most the run in progress. An
 * unreadable file is moved to sweeps/corrupt/ with a warning, never deleted.
 */
export class SweepStore {
  private readonly dir: string;
  private readonly index = new Map<string, SweepListItem>();
  private readonly warningList: string[] = [];

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'sweeps');
  }

  get warnings(): readonly string[] {
    return this.warningList;
  }

  async open(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    for (const entry of await fs.readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(this.dir, entry.name);
      if (entry.name.endsWith('.tmp')) {
        await fs.rm(file, { force: true });
        continue;
      }
      if (!entry.name.endsWith(SUFFIX)) continue;
      try {
        let record = await this.read(file);
        if (record.status === 'running') {
          // The process ended mid-sweep: what it finished is kept, and it can be resumed.
          record = { ...record, status: 'interrupted' };
          await this.save(record);
        }
        this.index.set(record.id, toListItem(record));
      } catch (error) {
        await this.setAside(file, (error as Error).message);
      }
    }
  }

  list(): SweepListItem[] {
    return [...this.index.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  async get(id: string): Promise<SweepRecord> {
    if (!this.index.has(id)) throw new TunebenchError('TB_SWEEP_NOT_FOUND', { id });
    try {
      return await this.read(this.fileOf(id));
    } catch {
      this.index.delete(id);
      throw new TunebenchError('TB_SWEEP_NOT_FOUND', { id });
    }
  }

  async save(record: SweepRecord): Promise<void> {
    await this.write(record, false);
  }

  /** Saves a sweep under an id nothing has yet (imports); never replaces an existing file. */
  async saveNew(record: SweepRecord): Promise<void> {
    if (this.index.has(record.id)) {
      throw new TunebenchError('TB_STORE_WRITE', { id: record.id, detail: 'a sweep with this id already exists' });
    }
    await this.write(record, true);
  }

  /** Whether a sweep could be saved under this id. */
  acceptsId(id: string): boolean {
    try {
      this.fileOf(id);
      return true;
    } catch {
      return false;
    }
  }

  private async write(record: SweepRecord, exclusive: boolean): Promise<void> {
    const file = this.fileOf(record.id);
    try {
      await writeFileAtomic(file, JSON.stringify(record), { exclusive });
    } catch (error) {
      throw new TunebenchError('TB_STORE_WRITE', { id: record.id, detail: (error as Error).message });
    }
    this.index.set(record.id, toListItem(record));
  }

  /** Removes the sweep record; its runs stay (they are runs in their own right). */
  async delete(id: string): Promise<void> {
    if (!this.index.has(id)) throw new TunebenchError('TB_SWEEP_NOT_FOUND', { id });
    const file = this.fileOf(id);
    await fs.rm(file, { force: true });
    this.index.delete(id);
  }

  private fileOf(id: string): string {
    return pathInside(this.dir, id, SUFFIX, 'sweep');
  }

  private async read(file: string): Promise<SweepRecord> {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = SweepRecordSchema.safeParse(json);
    if (!parsed.success) throw new Error(`not a sweep record (${describeZodError(parsed.error)})`);
    if (`${parsed.data.id}${SUFFIX}` !== path.basename(file)) throw new Error(`its id "${parsed.data.id}" does not match its file name`);
    return parsed.data;
  }

  private async setAside(file: string, reason: string): Promise<void> {
    const target = path.join(this.dir, 'corrupt', `${path.basename(file)}.${Date.now()}`);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(file, target);
      this.warningList.push(`Sweep file ${path.basename(file)} could not be read (${reason}); moved to ${target}`);
    } catch (error) {
      this.warningList.push(`Sweep file ${path.basename(file)} could not be read (${reason}) nor moved aside: ${(error as Error).message}`);
    }
  }
}

function toListItem(record: SweepRecord): SweepListItem {
  return {
    id: record.id,
    name: record.name,
    kind: record.spec.base.kind,
    status: record.status,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    points: record.points.length,
    runsDone: record.runs.length,
    totalRuns: record.totalRuns,
  };
}
