import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, type SecretCipher } from '../src/main/engine/postgres/secret-store.js';

/** Stands in for Electron's safeStorage (not available outside Electron): AES-256-GCM with a process key. */
function aesCipher(backend: string): SecretCipher {
  const key = randomBytes(32);
  return {
    backend,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-secrets-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('EncryptedFileSecretStore', () => {
  it('writes only ciphertext, owner-readable, and reads it back after a restart', async () => {
    const file = path.join(dir, 'db-secrets.json');
    const cipher = aesCipher('gnome_libsecret');
    await new EncryptedFileSecretStore(file, cipher).set('db-profile:prod', 'Pa55-word-on-disk?');
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain('Pa55-word-on-disk?');
    expect((await fs.stat(file)).mode & 0o077).toBe(0);
    const reopened = new EncryptedFileSecretStore(file, cipher);
    expect(await reopened.get('db-profile:prod')).toBe('Pa55-word-on-disk?');
    expect(reopened.warning).toBeUndefined();
    await reopened.delete('db-profile:prod');
    expect(await new EncryptedFileSecretStore(file, cipher).get('db-profile:prod')).toBeUndefined();
  });

  it('warns when safeStorage only has the basic_text backend', () => {
    const store = new EncryptedFileSecretStore(path.join(dir, 'weak.json'), aesCipher('basic_text'));
    expect(store.backend).toBe('safeStorage (basic_text)');
    expect(store.warning).toContain('basic_text');
  });

  it('names the file when it cannot be read', async () => {
    const file = path.join(dir, 'broken.json');
    await fs.writeFile(file, 'not json');
    await expect(new EncryptedFileSecretStore(file, aesCipher('kwallet5')).get('x')).rejects.toMatchObject({
      code: 'TB_FILE_UNREADABLE',
      message: expect.stringContaining(file),
    });
  });
});
