import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../../shared/errors.js';
import { DbProfile, DbProfileInput, DbProfileSchema, DbProfileView } from '../../../shared/specs/db.js';
import { describeZodError } from '../../../shared/validation.js';
import { parseConnectionUrl } from './connection.js';
import { profileSecretKey, SecretStore } from './secret-store.js';

const PROFILES_FILE = 'db-profiles.json';
const ProfilesFileSchema = z.object({ format: z.literal(1), profiles: z.array(DbProfileSchema) });

/**
 * Connection profiles in <dataDir>/db-profiles.json. The file never holds a
 * password: a password given with a profile (field or URL) goes to the secret store.
 */
export class ProfileStore {
  private readonly file: string;
  private profiles: DbProfile[] | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = path.join(dataDir, PROFILES_FILE);
  }

  async list(): Promise<DbProfileView[]> {
    const profiles = await this.load();
    return Promise.all(profiles.map(async (profile) => this.view(profile)));
  }

  async get(id: string): Promise<DbProfile> {
    const profile = (await this.load()).find((candidate) => candidate.id === id);
    if (!profile) throw new TunebenchError('TB_DB_PROFILE_NOT_FOUND', { id });
    return profile;
  }

  async password(id: string): Promise<string | undefined> {
    return this.secrets.get(profileSecretKey(id));
  }

  /** Creates or replaces a profile; an empty password keeps the stored one. */
  async save(input: DbProfileInput): Promise<DbProfileView> {
    const { profile, password } = profileFromInput(input);
    const profiles = (await this.load()).filter((existing) => existing.id !== profile.id);
    profiles.push(profile);
    await this.write(profiles);
    if (password) await this.secrets.set(profileSecretKey(profile.id), password);
    return this.view(profile);
  }

  async delete(id: string): Promise<void> {
    const profiles = await this.load();
    if (!profiles.some((profile) => profile.id === id)) throw new TunebenchError('TB_DB_PROFILE_NOT_FOUND', { id });
    await this.write(profiles.filter((profile) => profile.id !== id));
    await this.secrets.delete(profileSecretKey(id));
  }

  private async view(profile: DbProfile): Promise<DbProfileView> {
    return { ...profile, hasPassword: (await this.secrets.get(profileSecretKey(profile.id))) !== undefined };
  }

  private async load(): Promise<DbProfile[]> {
    if (this.profiles) return this.profiles;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.profiles = []);
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TunebenchError('TB_UNAVAILABLE', {
        detail: `${this.file} is not valid JSON (${(error as Error).message}); fix or delete it`,
      });
    }
    const parsed = ProfilesFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new TunebenchError('TB_UNAVAILABLE', {
        detail: `${this.file} is not a profiles file (${describeZodError(parsed.error)}); fix or delete it`,
      });
    }
    return (this.profiles = parsed.data.profiles);
  }

  private async write(profiles: DbProfile[]): Promise<void> {
    const next = this.writing.then(async () => {
      const temp = `${this.file}.${process.pid}.tmp`;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(temp, JSON.stringify({ format: 1, profiles }, null, 2), { mode: 0o600 });
      await fs.rename(temp, this.file);
      this.profiles = profiles;
    });
    this.writing = next.catch(() => {});
    return next;
  }
}

/** Merges URL and field input into a stored profile (fields win) and separates the password. */
export function profileFromInput(input: DbProfileInput): { profile: DbProfile; password?: string } {
  const fromUrl = input.url ? parseConnectionUrl(input.url) : undefined;
  const candidate = {
    id: input.id,
    name: input.name,
    host: input.host ?? fromUrl?.fields.host,
    port: input.port ?? fromUrl?.fields.port,
    database: input.database ?? fromUrl?.fields.database,
    user: input.user ?? fromUrl?.fields.user,
    sslMode: input.sslMode ?? fromUrl?.fields.sslMode,
    applicationName: input.applicationName ?? fromUrl?.fields.applicationName,
  };
  const parsed = DbProfileSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new TunebenchError('TB_INVALID_OPTION', { detail: `profile: ${describeZodError(parsed.error)}` });
  }
  const password = input.password || fromUrl?.password;
  return { profile: parsed.data, ...(password ? { password } : {}) };
}
