import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbService } from '../src/main/engine/postgres/db-service.js';
import { MemorySecretStore } from '../src/main/engine/postgres/secret-store.js';
import { FakePgServer, startFakePgServer } from './fixtures/fake-pg-server.js';

const SECRET = 'Bound-to-prod-4417';
let dataDir: string;
let prod: FakePgServer;
let evil: FakePgServer;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-db-binding-'));
  prod = await startFakePgServer();
  evil = await startFakePgServer();
});
afterAll(async () => {
  await prod?.close();
  await evil?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const prodProfile = () => ({ id: 'prod', name: 'Prod', host: '127.0.0.1', port: prod.port, database: 'app', user: 'app' });

describe('a saved password is bound to its profile\'s host, port, user, database and TLS mode', () => {
  it('goes to the server it was saved for, and a profile id reused with another server does not lend it', async () => {
    const service = new DbService({ dataDir: path.join(dataDir, 'reuse'), env: {} });
    await service.profiles.save({ ...prodProfile(), password: SECRET });
    // The fake server refuses every login; what matters is which password reached it.
    await expect(service.testConnection({ target: 'prod' })).rejects.toMatchObject({ code: 'TB_DB_CONNECTION' });
    expect(prod.passwords).toEqual([SECRET]);

    // The attack: the saved profile's id with another port (the fake server asks for the password in clear text).
    const reused = service.testConnection({ profile: { ...prodProfile(), port: evil.port } });
    await expect(reused).rejects.toMatchObject({
      code: 'TB_DB_PASSWORD_BOUND',
      message: `The saved password of profile "prod" is bound to port ${prod.port}; enter the password again to use it with port ${evil.port}`,
    });
    expect(evil.connections).toBe(0);
    expect(evil.passwords).toEqual([]);

    // Every bound field counts; the refusal comes before any connection.
    for (const [change, text] of [
      [{ host: 'evil.example.invalid' }, 'host 127.0.0.1; enter the password again to use it with host evil.example.invalid'],
      [{ user: 'postgres' }, 'user app; enter the password again to use it with user postgres'],
      [{ database: 'other' }, 'database app; enter the password again to use it with database other'],
      [{ sslMode: 'require' }, 'TLS mode disable; enter the password again to use it with TLS mode require'],
    ] as const) {
      await expect(service.testConnection({ profile: { ...prodProfile(), ...change } })).rejects.toMatchObject({
        code: 'TB_DB_PASSWORD_BOUND',
        message: expect.stringContaining(text),
      });
    }
    expect(evil.passwords).toEqual([]);
    expect(prod.passwords).toEqual([SECRET]);
    await service.dispose();
  });

  it('db.profiles.save keeps the password only for unchanged connection fields; a new place needs the password again', async () => {
    const service = new DbService({ dataDir: path.join(dataDir, 'save'), env: {} });
    await service.profiles.save({ ...prodProfile(), password: SECRET });
    await expect(service.profiles.save({ ...prodProfile(), port: evil.port })).rejects.toMatchObject({
      code: 'TB_DB_PASSWORD_BOUND',
      message: expect.stringContaining('enter the password again'),
    });
    // Nothing was saved by the refused call.
    expect((await service.listProfiles()).map(({ port, hasPassword }) => ({ port, hasPassword }))).toEqual([
      { port: prod.port, hasPassword: true },
    ]);
    // A change outside the binding keeps the password.
    expect((await service.profiles.save({ ...prodProfile(), name: 'Production' })).hasPassword).toBe(true);

    // With the password entered again, the profile moves, and the new server gets only what was entered for it.
    const evilBefore = evil.passwords.length;
    await service.profiles.save({ ...prodProfile(), port: evil.port, password: 'entered-again' });
    await expect(service.testConnection({ target: 'prod' })).rejects.toMatchObject({ code: 'TB_DB_CONNECTION' });
    expect(evil.passwords.slice(evilBefore)).toEqual(['entered-again']);
    expect(evil.passwords).not.toContain(SECRET);
    await service.dispose();
  });

  it('an edited profiles file cannot send a stored password to another server', async () => {
    const dir = path.join(dataDir, 'edited');
    const secrets = new MemorySecretStore();
    const first = new DbService({ dataDir: dir, secrets, env: {} });
    await first.profiles.save({ ...prodProfile(), password: SECRET });
    await first.dispose();

    const file = path.join(dir, 'db-profiles.json');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(`"port": ${prod.port}`, `"port": ${evil.port}`));

    const second = new DbService({ dataDir: dir, secrets, env: {} });
    expect((await second.listProfiles())[0]).toMatchObject({ port: evil.port, hasPassword: false });
    await expect(second.testConnection({ target: 'prod' })).rejects.toMatchObject({ code: 'TB_DB_PASSWORD_BOUND' });
    await expect(second.resolve('prod')).rejects.toMatchObject({ code: 'TB_DB_PASSWORD_BOUND' });
    expect(evil.passwords).not.toContain(SECRET);
    await second.dispose();
  });
});
