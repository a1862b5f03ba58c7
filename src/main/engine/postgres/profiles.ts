import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../../shared/errors.js';
import { DbProfile, DbProfileInput, DbProfileSchema, DbProfileView, SslModeSchema } from '../../../shared/specs/db.js';
import { describeZodError } from '../../../shared/validation.js';
import { assertPasswordTransport, parseConnectionUrl } from './connection.js';
import { profileSecretKey, SecretStore } from './secret-store.js';

const PROFILES_FILE = 'db-profiles.json';
const ProfilesFileSchema = z.object({ format: z.literal(1), profiles: z.array(DbProfileSchema) });

/** What a stored password is bound to: it is only ever sent to this server, as this user, over this TLS mode. */
export type PasswordBinding = Pick<DbProfile, 'host' | 'port' | 'user' | 'database' | 'sslMode'>;

const BINDING_FIELDS: ReadonlyArray<{ key: keyof PasswordBinding; label: string }> = [
  { key: 'host', label: 'host' },
  { key: 'port', label: 'port' },
  { key: 'user', label: 'user' },
  { key: 'database', label: 'database' },
  { key: 'sslMode', label: 'TLS mode' },
];

/** The secret store's value for a profile: the password and where it may go. */
const StoredPasswordSchema = z.object({
  format: z.literal(1),
  password: z.string().min(1),
  bound: z.object({
    host: z.string(),
    port: z.number(),
    user: z.string(),
    database: z.string(),
    sslMode: SslModeSchema,
  }),
});
type StoredPassword = z.infer<typeof StoredPasswordSchema>;

export function bindingOf(fields: PasswordBinding): PasswordBinding {
  return { host: fields.host, port: fields.port, user: fields.user, database: fields.database, sslMode: fields.sslMode };
}

function decodeStored(text: string | undefined): StoredPassword | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = StoredPasswordSchema.safeParse(JSON.parse(text));
    // A value from before passwords were bound (a bare string) is bound to nothing and never sent.
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Throws TB_DB_PASSWORD_BOUND naming what differs, unless `requested` is exactly where the password is bound. */
export function assertBinding(id: string, bound: PasswordBinding, requested: PasswordBinding): void {
  const differing = BINDING_FIELDS.filter(({ key }) => bound[key] !== requested[key]);
  if (!differing.length) return;
  const describe = (fields: PasswordBinding) => differing.map(({ key, label }) => `${label} ${String(fields[key])}`).join(', ');
  throw new TunebenchError('TB_DB_PASSWORD_BOUND', { id, bound: describe(bound), requested: describe(requested) });
}

/**
 * Connection profiles in <dataDir>/db-profiles.json. The file never holds a
 * password: a password given with a profile (field or URL) goes to the secret
 * store, bound to the profile's host, port, user, database and TLS mode, and
 * is handed out only for exactly those (the file is read back as untrusted).
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

  /**
   * The stored password of profile `id`, for a connection to `fields`; throws
   * TB_DB_PASSWORD_BOUND if it was entered for another host, port, user,
   * database or TLS mode. Undefined when none is stored.
   */
  async passwordFor(id: string, fields: PasswordBinding): Promise<string | undefined> {
    const stored = await this.stored(id);
    if (!stored) return undefined;
    assertBinding(id, stored.bound, bindingOf(fields));
    return stored.password;
  }

  /**
   * Creates or replaces a profile. A new password is bound to the profile's
   * connection fields; without one the stored password is kept, but only if
   * those fields are unchanged (else TB_DB_PASSWORD_BOUND, and nothing is saved).
   */
  async save(input: DbProfileInput): Promise<DbProfileView> {
    const { profile, password } = profileFromInput(input);
    if (password) assertPasswordTransport(profile);
    else {
      const stored = await this.stored(profile.id);
      if (stored) assertBinding(profile.id, stored.bound, bindingOf(profile));
    }
    const profiles = (await this.load()).filter((existing) => existing.id !== profile.id);
    profiles.push(profile);
    await this.write(profiles);
    if (password) {
      const value: StoredPassword = { format: 1, password, bound: bindingOf(profile) };
      await this.secrets.set(profileSecretKey(profile.id), JSON.stringify(value));
    }
    return this.view(profile);
  }

  async delete(id: string): Promise<void> {
    const profiles = await this.load();
    if (!profiles.some((profile) => profile.id === id)) throw new TunebenchError('TB_DB_PROFILE_NOT_FOUND', { id });
    await this.write(profiles.filter((profile) => profile.id !== id));
    await this.secrets.delete(profileSecretKey(id));
  }

  private async stored(id: string): Promise<StoredPassword | undefined> {
    return decodeStored(await this.secrets.get(profileSecretKey(id)));
  }

  /** hasPassword: a stored password bound to exactly this profile's connection fields. */
  private async view(profile: DbProfile): Promise<DbProfileView> {
    const stored = await this.stored(profile.id);
    const bound = stored !== undefined && BINDING_FIELDS.every(({ key }) => stored.bound[key] === profile[key]);
    return { ...profile, hasPassword: bound };
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
      throw new TunebenchError(
        'TB_FILE_NOT_JSON',
        { file: this.file, reason: `${(error as Error).message}; fix or delete it` },
        { cause: error },
      );
    }
    const parsed = ProfilesFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new TunebenchError('TB_SCHEMA_INVALID', {
        what: this.file,
        problems: `not a profiles file (${describeZodError(parsed.error)}); fix or delete it`,
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
    throw new TunebenchError('TB_SCHEMA_INVALID', { what: 'profile', problems: describeZodError(parsed.error) });
  }
  const password = input.password || fromUrl?.password;
  return { profile: parsed.data, ...(password ? { password } : {}) };
}
