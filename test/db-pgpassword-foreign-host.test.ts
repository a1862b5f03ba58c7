import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DbService } from '../src/main/engine/postgres/db-service.js';
import { FakePgServer, startFakePgServer } from './fixtures/fake-pg-server.js';

const ENV_SECRET = 'pgpassword-from-env-2291';
const PROCESS_SECRET = 'pgpassword-in-process-env-8830';
let dataDir: string;
let fake: FakePgServer;
let elsewhere: FakePgServer;
const savedPgPassword = process.env.PGPASSWORD;
const services: DbService[] = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-db-pgpassword-'));
  fake = await startFakePgServer();
  elsewhere = await startFakePgServer();
  // node-postgres itself falls back to process.env.PGPASSWORD: that fallback must not leak either.
  process.env.PGPASSWORD = PROCESS_SECRET;
});
afterEach(async () => {
  for (const service of services.splice(0)) await service.dispose();
});
afterAll(async () => {
  if (savedPgPassword === undefined) delete process.env.PGPASSWORD;
  else process.env.PGPASSWORD = savedPgPassword;
  await fake?.close();
  await elsewhere?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

function service(env: NodeJS.ProcessEnv): DbService {
  const created = new DbService({ dataDir: path.join(dataDir, String(services.length)), env });
  services.push(created);
  return created;
}

describe('PGPASSWORD goes only to the server PGHOST, PGPORT and PGUSER name', () => {
  it('is not sent to a spec or profile naming another host, port or user, nor by the driver\'s own fallback', async () => {
    const env = { PGPASSWORD: ENV_SECRET, PGHOST: '127.0.0.1', PGPORT: String(elsewhere.port), PGUSER: 'alice' };
    const db = service(env);
    const asked = db.testConnection({ target: `postgres://alice@127.0.0.1:${fake.port}/app` });
    await expect(asked).rejects.toMatchObject({
      code: 'TB_DB_CONNECTION',
      message: expect.stringContaining('the server asked for a password, but none is set for this target'),
    });
    await expect(db.testConnection({ target: `postgres://mallory@127.0.0.1:${elsewhere.port}/app` })).rejects.toMatchObject({
      code: 'TB_DB_CONNECTION',
    });
    await expect(
      db.testConnection({ profile: { id: 'p', name: 'p', host: '127.0.0.1', port: fake.port, database: 'app', user: 'alice' } }),
    ).rejects.toMatchObject({ code: 'TB_DB_CONNECTION' });
    // Without PGHOST/PGPORT/PGUSER the defaults apply: this machine, port 5432, the OS user.
    await expect(service({ PGPASSWORD: ENV_SECRET }).testConnection({ target: `postgres://alice@127.0.0.1:${fake.port}/app` })).rejects.toMatchObject(
      { code: 'TB_DB_CONNECTION' },
    );
    const targetsSpoken = fake.connections + elsewhere.connections;
    expect(targetsSpoken).toBe(4);
    expect([...fake.passwords, ...elsewhere.passwords]).toEqual([]);
  });

  it('is sent to the server PGHOST, PGPORT and PGUSER name, and anywhere only with TUNEBENCH_PGPASSWORD_ANY_HOST=1', async () => {
    const matching = service({ PGPASSWORD: ENV_SECRET, PGHOST: 'localhost', PGPORT: String(fake.port), PGUSER: 'alice' });
    await expect(matching.testConnection({ target: `postgres://alice@127.0.0.1:${fake.port}/app` })).rejects.toMatchObject({
      code: 'TB_DB_CONNECTION',
      message: expect.stringContaining('password authentication failed (fake server)'),
    });
    expect(fake.passwords).toEqual([ENV_SECRET]);

    const optedIn = service({ PGPASSWORD: ENV_SECRET, TUNEBENCH_PGPASSWORD_ANY_HOST: '1' });
    await expect(optedIn.testConnection({ target: `postgres://bob@127.0.0.1:${elsewhere.port}/app` })).rejects.toMatchObject({
      code: 'TB_DB_CONNECTION',
    });
    expect(elsewhere.passwords).toEqual([ENV_SECRET]);
    expect([...fake.passwords, ...elsewhere.passwords]).not.toContain(PROCESS_SECRET);
  });
});
