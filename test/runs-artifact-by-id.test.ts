import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const engines = engineFactory();

describe('a run\'s files are handed over by name, never by path', () => {
  it('gives a file named in the run\'s artifact list, and nothing else', async () => {
    const dataDir = await engines.tempDir();
    const engine = await engines.open(dataDir);
    const run = {
      ...tinyRunRecord('with-profile'),
      artifacts: [{ name: 'CPU profile', kind: 'cpu-profile', file: 'main.cpuprofile', bytes: 13, createdAt: '2025-01-01T00:00:00.000Z' }],
    };
    await engine.runStore.save(run);
    await fs.mkdir(engine.runStore.runDir(run.id), { recursive: true });
    await fs.writeFile(path.join(engine.runStore.runDir(run.id), 'main.cpuprofile'), '{"nodes":[]}\n');
    await fs.writeFile(path.join(engine.runStore.runDir(run.id), 'unlisted.json'), '{}');
    await fs.writeFile(path.join(dataDir, 'db-profiles.json'), '{"secret":true}');

    expect(await engine.call('runs.artifact', { runId: run.id, file: 'main.cpuprofile' })).toEqual({
      fileName: 'main.cpuprofile',
      mimeType: 'application/json',
      content: '{"nodes":[]}\n',
    });
    await expect(engine.call('runs.artifact', { runId: run.id, file: 'unlisted.json' })).rejects.toMatchObject({
      code: 'TB_ARTIFACT_NOT_FOUND',
    });
    for (const file of ['../../db-profiles.json', '/etc/passwd', '..', 'a/b']) {
      const envelope = await engine.dispatch('runs.artifact', { runId: run.id, file });
      expect(envelope.ok, file).toBe(false);
      if (!envelope.ok) expect(envelope.error.code, file).toBe('TB_INVALID_PAYLOAD');
    }
  });
});
