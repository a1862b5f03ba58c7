/**
 * The trusted service definitions, and only those: definitions saved through
 * the app (the Services page; `<dataDir>/services.json`), services files
 * named on the CLI's command line (`--services`), and the services file of
 * each folder the user confirmed they trust (`<dataDir>/trusted-folders.json`,
 * by absolute path). A spec names a service and knob values; `resolveRun`
 * finds the definition here and checks the values against its knobs. Nothing
 * else — a spec, a record, an imported file — can add a definition.
 *
 * When two sources define the same name, the command line wins, then the
 * app, then trusted folders in the order they were trusted; the others are
 * listed as shadowed.
 */
import { readFileSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../../shared/errors.js';
import {
  effectiveKnobs,
  knobValuesProblem,
  SERVICES_FILE_NAME,
  ServiceDefinitionSchema,
  ServicesFileSchema,
  type FolderInspection,
  type KnobValue,
  type ServiceDefinition,
  type ServiceSource,
  type TrustedFolderView,
} from '../../../shared/specs/services.js';
import { describeZodError } from '../../../shared/validation.js';
import { writeFileAtomic } from '../atomic-file.js';

/** A services file is small; a larger one is refused before it is read whole. */
const MAX_SERVICES_FILE_BYTES = 1024 * 1024;
const APP_SERVICES_FILE = 'services.json';
const TRUSTED_FOLDERS_FILE = 'trusted-folders.json';

const TrustedFoldersSchema = z.object({
  folders: z.array(z.object({ folder: z.string().min(1).max(4_096), trustedAt: z.string() })).max(1_000),
});

export interface CatalogEntry {
  definition: ServiceDefinition;
  source: ServiceSource;
  shadowedBy?: ServiceSource;
}

export interface ResolvedService {
  definition: ServiceDefinition;
  source: ServiceSource;
  /** The knob values the run uses: the spec's, else each knob's default. */
  knobs: Record<string, KnobValue>;
}


interface FileState {
  file: string;
  version: string;
  services: ServiceDefinition[];
  problem?: string;
}

const WHERE =
  'Services are defined on the Services page, in a services file named on the command line (--services tunebench.services.json), or in a folder you trusted on the Services page.';

/** Reads and validates a services file; relative directories are resolved against the file's folder. */
export function readServicesFileSync(file: string): ServiceDefinition[] {
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new Error('not a file');
    if (stats.size > MAX_SERVICES_FILE_BYTES) throw new Error(`${stats.size} bytes, more than ${MAX_SERVICES_FILE_BYTES}`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TunebenchError('TB_SERVICES_FILE', { file, detail: (error as Error).message });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TunebenchError('TB_SERVICES_FILE', { file, detail: `not JSON (${(error as Error).message})` });
  }
  const parsed = ServicesFileSchema.safeParse(raw);
  if (!parsed.success) throw new TunebenchError('TB_SERVICES_FILE', { file, detail: describeZodError(parsed.error) });
  const folder = path.dirname(file);
  return parsed.data.services.map((service) => ({ ...service, directory: path.resolve(folder, service.directory) }));
}

function fileVersion(file: string): string {
  try {
    const stats = statSync(file);
    return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
  } catch {
    return 'missing';
  }
}

export class ServiceCatalog {
  private app: ServiceDefinition[] = [];
  private readonly commandLine: FileState[] = [];
  private trusted: Array<{ folder: string; trustedAt: string }> = [];
  private readonly folderFiles = new Map<string, FileState>();

  constructor(private readonly dataDir: string) {}

  /** Reads the app's definitions and the trusted folders; a damaged file is set aside as a warning, never trusted in part. */
  async open(): Promise<string[]> {
    const warnings: string[] = [];
    const appFile = path.join(this.dataDir, APP_SERVICES_FILE);
    try {
      this.app = readServicesFileSync(appFile);
    } catch (error) {
      if (!(error instanceof TunebenchError) || !/ENOENT/.test(error.message)) warnings.push((error as Error).message);
      this.app = [];
    }
    const foldersFile = path.join(this.dataDir, TRUSTED_FOLDERS_FILE);
    try {
      const parsed = TrustedFoldersSchema.safeParse(JSON.parse(await fs.readFile(foldersFile, 'utf8')));
      if (parsed.success) this.trusted = parsed.data.folders.filter((entry) => path.isAbsolute(entry.folder));
      else warnings.push(`${foldersFile} is not valid (${describeZodError(parsed.error)}); no folder is trusted until you trust one again`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${foldersFile}: ${(error as Error).message}`);
    }
    return warnings;
  }

  /** A services file named on the command line: trusted for this process only. */
  addCommandLineFile(file: string): ServiceDefinition[] {
    const absolute = path.resolve(file);
    const services = readServicesFileSync(absolute);
    this.commandLine.push({ file: absolute, version: fileVersion(absolute), services });
    return services;
  }

  /** Every trusted definition in precedence order, each with its source and what shadows it. */
  list(): CatalogEntry[] {
    const entries: CatalogEntry[] = [];
    const first = new Map<string, ServiceSource>();
    const add = (definition: ServiceDefinition, source: ServiceSource) => {
      const winner = first.get(definition.name);
      entries.push({ definition, source, ...(winner ? { shadowedBy: winner } : {}) });
      if (!winner) first.set(definition.name, source);
    };
    for (const state of this.commandLine) for (const definition of state.services) add(definition, { type: 'command-line', file: state.file });
    for (const definition of this.app) add(definition, { type: 'app' });
    for (const { folder } of this.trusted) {
      const state = this.folderState(folder);
      for (const definition of state.services) add(definition, { type: 'folder', folder, file: state.file });
    }
    return entries;
  }

  /** The definition a name resolves to, or TB_SERVICE_UNKNOWN naming the known ones. */
  resolve(name: string): CatalogEntry {
    const entry = this.list().find((candidate) => candidate.definition.name === name && !candidate.shadowedBy);
    if (!entry) {
      const known = [...new Set(this.list().map((candidate) => candidate.definition.name))].join(', ') || 'none';
      throw new TunebenchError('TB_SERVICE_UNKNOWN', { name, known, where: WHERE });
    }
    return entry;
  }

  /** The definition and the run's knob values, checked against its knobs (TB_KNOB_INVALID naming the knob). */
  resolveRun(name: string, knobs: Record<string, KnobValue>): ResolvedService {
    const { definition, source } = this.resolve(name);
    const problem = knobValuesProblem(definition, knobs);
    if (problem) throw new TunebenchError('TB_KNOB_INVALID', { service: name, detail: problem });
    return { definition, source, knobs: effectiveKnobs(definition, knobs) };
  }

  /** Creates or replaces a definition saved in the app; renaming replaces the old name. */
  async save(input: unknown, previousName?: string): Promise<ServiceDefinition> {
    const parsed = ServiceDefinitionSchema.safeParse(input);
    if (!parsed.success) throw new TunebenchError('TB_SCHEMA_INVALID', { what: 'Service definition', problems: describeZodError(parsed.error) });
    const definition = parsed.data;
    if (!path.isAbsolute(definition.directory)) {
      throw new TunebenchError('TB_SCHEMA_INVALID', { what: 'Service definition', problems: `directory must be an absolute path, got "${definition.directory.slice(0, 300)}"` });
    }
    const others = this.app.filter((service) => service.name !== definition.name && service.name !== previousName);
    if (previousName !== undefined && previousName !== definition.name && this.app.some((service) => service.name === definition.name)) {
      throw new TunebenchError('TB_SERVICE_EXISTS', { name: definition.name });
    }
    const next = [...others, definition].sort((a, b) => a.name.localeCompare(b.name));
    await this.writeApp(next);
    this.app = next;
    return definition;
  }

  async delete(name: string): Promise<void> {
    if (!this.app.some((service) => service.name === name)) {
      throw new TunebenchError('TB_SERVICE_UNKNOWN', { name, known: this.app.map((service) => service.name).join(', ') || 'none', where: 'Only services saved in the app can be deleted here.' });
    }
    const next = this.app.filter((service) => service.name !== name);
    await this.writeApp(next);
    this.app = next;
  }

  /** What a folder's services file holds, without trusting it: shown before the user decides. */
  inspectFolder(folder: string): FolderInspection {
    const absolute = absoluteFolder(folder);
    const file = path.join(absolute, SERVICES_FILE_NAME);
    const trusted = this.trusted.some((entry) => entry.folder === absolute);
    let exists = true;
    try {
      const services = readServicesFileSync(file);
      return {
        folder: absolute,
        file,
        exists,
        trusted,
        services: services.map(({ name, command, directory }) => ({ name, command, directory })),
      };
    } catch (error) {
      exists = fileVersion(file) !== 'missing';
      return { folder: absolute, file, exists, trusted, services: [], problem: (error as Error).message };
    }
  }

  /** Trusts a folder (its services file's commands may run from now on), stored by absolute path. */
  async trustFolder(folder: string): Promise<FolderInspection> {
    const inspection = this.inspectFolder(folder);
    if (!inspection.exists) {
      throw new TunebenchError('TB_SERVICES_FILE', { file: inspection.file, detail: 'there is no such file in that folder' });
    }
    if (!inspection.trusted) {
      const next = [...this.trusted, { folder: inspection.folder, trustedAt: new Date().toISOString() }];
      await this.writeTrusted(next);
      this.trusted = next;
    }
    return { ...inspection, trusted: true };
  }

  async untrustFolder(folder: string): Promise<void> {
    const absolute = absoluteFolder(folder);
    const next = this.trusted.filter((entry) => entry.folder !== absolute);
    await this.writeTrusted(next);
    this.trusted = next;
    this.folderFiles.delete(absolute);
  }

  trustedFolders(): TrustedFolderView[] {
    return this.trusted.map(({ folder, trustedAt }) => {
      const state = this.folderState(folder);
      return { folder, file: state.file, trustedAt, services: state.services.map((service) => service.name), ...(state.problem ? { problem: state.problem } : {}) };
    });
  }

  /** A trusted folder's file, read again when it changed on disk (the trust is in the folder, as editors do). */
  private folderState(folder: string): FileState {
    const file = path.join(folder, SERVICES_FILE_NAME);
    const version = fileVersion(file);
    const cached = this.folderFiles.get(folder);
    if (cached && cached.version === version) return cached;
    let state: FileState;
    try {
      state = { file, version, services: readServicesFileSync(file) };
    } catch (error) {
      state = { file, version, services: [], problem: (error as Error).message };
    }
    this.folderFiles.set(folder, state);
    return state;
  }

  private async writeApp(services: ServiceDefinition[]): Promise<void> {
    await writeFileAtomic(path.join(this.dataDir, APP_SERVICES_FILE), `${JSON.stringify({ services }, null, 2)}\n`);
  }

  private async writeTrusted(folders: Array<{ folder: string; trustedAt: string }>): Promise<void> {
    await writeFileAtomic(path.join(this.dataDir, TRUSTED_FOLDERS_FILE), `${JSON.stringify({ folders }, null, 2)}\n`);
  }
}

function absoluteFolder(folder: string): string {
  if (!path.isAbsolute(folder)) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'a folder to trust', rule: `an absolute path, got "${folder.slice(0, 300)}"` });
  }
  return path.resolve(folder);
}
