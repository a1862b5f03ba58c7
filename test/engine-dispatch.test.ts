import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';

let engine: Engine;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-dispatch-'));
  engine = await Engine.create({
    dataDir,
    workersDir: process.env.TUNEBENCH_WORKERS_DIR!,
    host: 'test',
    validateResponses: true,
  });
});
afterAll(async () => {
  await engine?.dispose();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('Engine.dispatch', () => {
  it('answers an unknown call with TB_UNKNOWN_CALL instead of throwing', async () => {
    const envelope = await engine.dispatch('runs.explode', {});
    expect(envelope).toEqual({ ok: false, error: { code: 'TB_UNKNOWN_CALL', message: 'Unknown call "runs.explode"' } });
    expect(await engine.dispatch(undefined, undefined)).toMatchObject({ ok: false, error: { code: 'TB_UNKNOWN_CALL' } });
  });

  it('answers an invalid payload with TB_INVALID_PAYLOAD naming the field', async () => {
    const envelope = await engine.dispatch('runs.start', {
      spec: { kind: 'pool', task: { name: 'primes', params: { limit: 1000 } }, pool: { threads: 1000 } },
    });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('TB_INVALID_PAYLOAD');
    expect(envelope.error.message).toContain('spec.pool.threads');
    expect(envelope.error.message).toContain('runs.start');
  });

  it('keeps working after bad calls', async () => {
    await engine.dispatch('nope', null);
    await engine.dispatch('runs.get', { runId: '../../etc/passwd' });
    await engine.dispatch('app.info', 'not an object');
    const info = await engine.dispatch('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { dataDir, warnings: [] } });
    expect(await engine.dispatch('runs.list', {})).toMatchObject({ ok: true, value: { runs: [] } });
  });
});
