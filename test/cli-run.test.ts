import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunRecordSchema } from '../src/shared/run-record.js';
import { tunebench } from './fixtures/built.js';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-run-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeSpec(name: string, spec: unknown): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify(spec));
  return file;
}

describe('tunebench run', () => {
  it('runs a spec, prints only the record with --json, and saves it under --out', async () => {
    const specFile = await writeSpec('primes.json', {
      kind: 'pool',
      task: { name: 'primes', params: { limit: 20_000 } },
      pool: { threads: 1 },
      jobs: 30,
    });
    const out = path.join(dir, 'out');
    const result = await tunebench(['run', specFile, '--json', '--out', out], { TUNEBENCH_DATA_DIR: path.join(dir, 'unused') });

    expect(result.code, result.stderr).toBe(0);
    const record = RunRecordSchema.parse(JSON.parse(result.stdout));
    expect(record.status).toBe('completed');
    expect(record.kind).toBe('pool');
    expect(record.environment.host).toBe('cli');
    const values = Object.values(record.summary).map((metric) => metric.value);
    expect(values.length).toBeGreaterThan(0);
    expect(values.some((value) => Number.isFinite(value) && value > 0)).toBe(true);
    expect(existsSync(path.join(out, 'runs', `${record.id}.json`))).toBe(true);
    expect(result.stderr).toContain(path.join(out, 'runs', `${record.id}.json`));
    expect(existsSync(path.join(dir, 'unused'))).toBe(false);

    const listed = await tunebench(['runs', '--json'], { TUNEBENCH_DATA_DIR: out });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: record.id, status: 'completed', kind: 'pool' }]);
  });

  it('refuses a spec with a bad field with exit 2, naming the file and the field', async () => {
    const specFile = await writeSpec('bad-threads.json', {
      kind: 'pool',
      task: { name: 'primes', params: { limit: 1000 } },
      pool: { threads: 1000 },
    });
    const result = await tunebench(['run', specFile, '--out', path.join(dir, 'bad')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(specFile);
    expect(result.stderr).toContain('pool.threads');
    expect(result.stdout).toBe('');
  });

  it('refuses a missing file, broken JSON and an unknown kind with exit 2', async () => {
    const missing = await tunebench(['run', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');

    const broken = path.join(dir, 'broken.json');
    await fs.writeFile(broken, '{"kind": "pool",');
    const brokenResult = await tunebench(['run', broken]);
    expect(brokenResult.code).toBe(2);
    expect(brokenResult.stderr).toContain('not valid JSON');

    const unknownKind = await tunebench(['run', await writeSpec('kind.json', { kind: 'teapot' })]);
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toContain('kind must be one of pool');
  });
});
