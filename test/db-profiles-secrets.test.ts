import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine } from './fixtures/embedded-db.js';

type Started = Awaited<ReturnType<typeof startTestEngine>>;
let started: Started;
const PASSWORD = 'Zq8-profile-secret-7731';
let port: number;

beforeAll(async () => {
  started = await startTestEngine('db-profiles');
  const target = await started.engine.db.resolve('embedded');
  port = Number(target.config.port);
  const { connectClient } = await import('../src/main/engine/postgres/connection.js');
  const admin = await connectClient(target, 5_000);
  // A separate login role stands in for a user's own server account.
  await admin.query(`CREATE ROLE tb_user LOGIN PASSWORD '${PASSWORD}'`);
  await admin.query('GRANT CREATE ON DATABASE postgres TO tb_user');
  await admin.end();
});
afterAll(async () => {
  await started?.dispose();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('connection profiles and secrets', () => {
  it('saves a profile from a URL without its password, tests it, runs on it, and no saved file holds the password', async () => {
    const { engine, dataDir } = started;
    const saved = await engine.call('db.profiles.save', {
      profile: { id: 'mine', name: 'My server', url: `postgres://tb_user:${PASSWORD}@127.0.0.1:${port}/postgres` },
    });
    expect(saved.profile).toMatchObject({ id: 'mine', user: 'tb_user', port, hasPassword: true });
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);

    const listed = await engine.call('db.profiles.list', {});
    expect(listed.profiles.map((profile) => profile.id)).toEqual(['mine']);
    expect(listed.secrets).toMatchObject({ backend: 'memory', persistent: false });
    expect(JSON.stringify(listed)).not.toContain(PASSWORD);

    const tested = await engine.call('db.testConnection', { target: 'mine' });
    expect(tested.serverVersion).toMatch(/^18/);
    expect(tested.target).toBe(`tb_user@127.0.0.1:${port}/postgres`);

    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'db', target: 'mine', workload: { type: 'pointSelect', rows: 100 }, operations: 30, concurrency: 2 },
    });
    const record = (await engine.runs.wait(runId)) ?? (await engine.call('runs.get', { runId })).run;
    expect(record.status).toBe('completed');
    expect(record.environment.extra?.postgresTarget).toBe(`tb_user@127.0.0.1:${port}/postgres`);

    const profilesFile = await fs.readFile(path.join(dataDir, 'db-profiles.json'), 'utf8');
    expect(profilesFile).toContain('tb_user');
    const serverFolder = path.join(dataDir, 'postgres');
    // The runs index is written after the run is saved; let it land before listing files.
    await engine.runStore.close();
    for (const file of await filesUnder(dataDir)) {
      // The embedded cluster's own files belong to PostgreSQL (it keeps only a hash of the role's password).
      if (file.startsWith(serverFolder + path.sep)) continue;
      expect(await fs.readFile(file, 'utf8'), file).not.toContain(PASSWORD);
    }

    const dropped = await engine.call('db.dropSchema', { target: 'mine' });
    expect(dropped).toEqual({ target: `tb_user@127.0.0.1:${port}/postgres`, dropped: true });
    await engine.call('db.profiles.delete', { id: 'mine' });
    expect((await engine.call('db.profiles.list', {})).profiles).toEqual([]);
  });

  it('rejects a password inside a spec URL and a reserved or unknown profile id with clear errors', async () => {
    const { engine } = started;
    await expect(
      engine.call('runs.start', {
        spec: { kind: 'db', target: `postgres://tb_user:${PASSWORD}@127.0.0.1:${port}/postgres`, workload: { type: 'pointSelect' } },
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('must not contain a password') });
    await expect(
      engine.call('db.profiles.save', { profile: { id: 'embedded', name: 'x', host: 'h', database: 'd', user: 'u' } }),
    ).rejects.toMatchObject({ code: 'TB_INVALID_PAYLOAD', message: expect.stringContaining('reserved') });
    await expect(engine.call('db.testConnection', { target: 'nope' })).rejects.toMatchObject({
      code: 'TB_DB_PROFILE_NOT_FOUND',
      message: 'Connection profile "nope" not found',
    });
    const status = await engine.call('db.embedded.status', {});
    expect(status).toMatchObject({ state: 'running', pgStatStatements: true });
  });
});
