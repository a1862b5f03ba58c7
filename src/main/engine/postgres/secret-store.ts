import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../../shared/errors.js';

/**
 * Where connection passwords live. The engine only knows this interface: the
 * Electron shell backs it with safeStorage (encrypted on disk), the web host
 * and the CLI use the in-memory one below. Passwords never go into profiles,
 * specs, run records, reports or responses. (PGPASSWORD is not a fallback of
 * any store: the DbService applies it only to the server PGHOST/PGPORT/PGUSER name.)
 */
export interface SecretStore {
  /** A short name of the backend, shown in the UI (e.g. "memory", "safeStorage (gnome_libsecret)"). */
  readonly backend: string;
  /** Whether secrets survive a restart of the app. */
  readonly persistent: boolean;
  /** A warning the UI shows next to the password field (e.g. safeStorage's basic_text backend), if any. */
  readonly warning?: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keeps secrets in this process only. */
export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory';
  readonly persistent = false;
  readonly warning =
    'Passwords are kept only until Tunebench quits; to avoid typing one again, set PGPASSWORD with PGHOST, PGPORT and PGUSER naming that server.';
  private readonly secrets = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }

  async set(key: string, secret: string): Promise<void> {
    this.secrets.set(key, secret);
  }

  async delete(key: string): Promise<void> {
    this.secrets.delete(key);
  }
}

export function profileSecretKey(profileId: string): string {
  return `db-profile:${profileId}`;
}

/**
 * What Electron's safeStorage offers, as plain functions, so the engine can
 * keep encrypted secrets without importing electron. The shell passes
 * `{ encrypt: (s) => safeStorage.encryptString(s), decrypt: (b) => safeStorage.decryptString(b),
 *    backend: safeStorage.getSelectedStorageBackend?.() ?? 'os' }` once safeStorage.isEncryptionAvailable().
 */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
  /** e.g. "gnome_libsecret", "kwallet5", "basic_text" (Linux), or the OS keychain. */
  backend: string;
}

const SecretsFileSchema = z.object({ format: z.literal(1), secrets: z.record(z.string(), z.string()) });

/**
 * Secrets encrypted by a SecretCipher in one JSON file (base64 ciphertext,
 * owner-only permissions). Only ciphertext reaches the disk; on Linux's
 * basic_text backend that ciphertext is weak, so the store says so.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly persistent = true;
  readonly backend: string;
  readonly warning?: string;
  private secrets: Record<string, string> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {
    if (!file) throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: 'file', rule: 'a path for the encrypted secrets' });
    this.backend = `safeStorage (${cipher.backend})`;
    if (cipher.backend === 'basic_text') {
      this.warning =
        'No system keyring was found: passwords are encrypted with a fixed key (basic_text), which protects little. Install or unlock a keyring (e.g. gnome-keyring, kwallet) for real protection.';
    }
  }

  async get(key: string): Promise<string | undefined> {
    const stored = (await this.load())[key];
    return stored === undefined ? undefined : this.cipher.decrypt(Buffer.from(stored, 'base64'));
  }

  async set(key: string, secret: string): Promise<void> {
    const secrets = { ...(await this.load()), [key]: this.cipher.encrypt(secret).toString('base64') };
    await this.save(secrets);
  }

  async delete(key: string): Promise<void> {
    const secrets = { ...(await this.load()) };
    if (!(key in secrets)) return;
    delete secrets[key];
    await this.save(secrets);
  }

  private async load(): Promise<Record<string, string>> {
    if (this.secrets) return this.secrets;
    try {
      const parsed = SecretsFileSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      if (!parsed.success) throw new Error('not a secrets file');
      this.secrets = parsed.data.secrets;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new TunebenchError(
          'TB_FILE_UNREADABLE',
          { file: this.file, reason: `${(error as Error).message}; delete it and enter the passwords again` },
          { cause: error },
        );
      }
      this.secrets = {};
    }
    return this.secrets;
  }

  private save(secrets: Record<string, string>): Promise<void> {
    const next = this.writing.then(async () => {
      const temp = `${this.file}.${process.pid}.tmp`;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(temp, JSON.stringify({ format: 1, secrets }), { mode: 0o600 });
      await fs.rename(temp, this.file);
      this.secrets = secrets;
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
