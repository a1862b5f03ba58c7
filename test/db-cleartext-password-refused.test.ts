import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbService } from '../src/main/engine/postgres/db-service.js';

// Nothing here connects: the refusal comes first, so a name that resolves nowhere is enough.
const REMOTE = 'db.example.invalid';
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-db-cleartext-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

const refusal = {
  code: 'TB_DB_CLEARTEXT_PASSWORD',
  message: `Refusing to send a password to ${REMOTE} without TLS (sslmode=disable): use sslmode=require or verify-full, or a server on 127.0.0.1, ::1 or localhost`,
};

describe('a password never travels in clear text to another machine', () => {
  it('refuses a password with sslmode=disable to a non-loopback host: test, save, profile and PGPASSWORD', async () => {
    const db = new DbService({ dataDir, env: { PGPASSWORD: 'from-env', PGHOST: REMOTE, PGUSER: 'app' } });
    const profile = { id: 'remote', name: 'remote', host: REMOTE, database: 'app', user: 'app', sslMode: 'disable' as const };
    await expect(db.testConnection({ profile: { ...profile, password: 'typed' } })).rejects.toMatchObject(refusal);
    await expect(db.profiles.save({ ...profile, password: 'typed' })).rejects.toMatchObject(refusal);
    await expect(db.profiles.save({ id: 'u', name: 'u', url: `postgres://app:typed@${REMOTE}/app` })).rejects.toMatchObject(refusal);
    expect(await db.listProfiles()).toEqual([]);
    // PGPASSWORD names this host, so it would apply: still not over plain TCP.
    await expect(db.resolve(`postgres://app@${REMOTE}:5432/app`)).rejects.toMatchObject(refusal);
    await expect(db.testConnection({ profile })).rejects.toMatchObject(refusal);
    await db.dispose();
  });

  it('allows TLS to any host, plain TCP to this machine, and plain TCP without a password', async () => {
    const db = new DbService({ dataDir, env: { PGPASSWORD: 'from-env', PGHOST: REMOTE, PGUSER: 'app' } });
    await expect(db.resolve(`postgres://app@${REMOTE}:5432/app?sslmode=require`)).resolves.toMatchObject({ label: `app@${REMOTE}:5432/app` });
    await expect(db.resolve(`postgres://someone@${REMOTE}:5432/app`)).resolves.toMatchObject({ label: `someone@${REMOTE}:5432/app` });
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const saved = await db.profiles.save({ id: 'local', name: 'local', host, database: 'app', user: 'app', password: 'typed' });
      expect(saved.hasPassword).toBe(true);
    }
    await db.dispose();
  });
});
