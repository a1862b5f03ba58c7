import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TunebenchError } from '../src/shared/errors.js';
import { engineFactory } from './fixtures/engine.js';
import { runToEnd, spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

describe('import of exported JSON', () => {
  it('brings a run into another data directory exactly as exported, once', async () => {
    const source = await engines.open(await engines.tempDir());
    const run = await runToEnd(source, spinSpec(1, 20));
    const exported = await source.call('report.export', { target: { runId: run.id }, format: 'json' });

    const target = await engines.open(await engines.tempDir());
    const result = await target.call('runs.import', { fileName: exported.fileName, content: exported.content });
    expect(result).toEqual({ runs: [run.id], sweeps: [], skipped: [], renamed: [] });
    expect((await target.call('runs.get', { runId: run.id })).run).toEqual(run);
    expect(await target.call('runs.import', { fileName: exported.fileName, content: exported.content })).toEqual({
      runs: [],
      sweeps: [],
      skipped: [run.id],
      renamed: [],
    });
  });

  it('rejects malformed and foreign files with TB_IMPORT_INVALID and leaves the store untouched', async () => {
    const dataDir = await engines.tempDir();
    const engine = await engines.open(dataDir);
    const run = await runToEnd(engine, spinSpec(1, 20));
    const good = JSON.parse((await engine.call('report.export', { target: { runId: run.id }, format: 'json' })).content);
    const before = await filesUnder(dataDir);
    const listed = (await engine.call('runs.list', {})).runs;

    const bad: Array<[string, string, string]> = [
      ['truncated.json', JSON.stringify(good).slice(0, 500), 'not valid JSON'],
      ['package.json', JSON.stringify({ name: 'left-pad', version: '1.3.0' }), 'not a Tunebench report or run record'],
      ['array.json', '[1,2,3]', 'not a JSON object'],
      ['future.json', JSON.stringify({ ...good, format: 99 }), 'newer Tunebench'],
      ['wrong-field.json', JSON.stringify({ ...good, run: { ...good.run, id: 'other-id', durationMs: 'long' } }), 'run.durationMs'],
      ['wrong-type.json', JSON.stringify({ ...good, type: 'dance' }), 'not a valid Tunebench report'],
    ];
    for (const [fileName, content, message] of bad) {
      const envelope = await engine.dispatch('runs.import', { fileName, content });
      expect(envelope.ok, fileName).toBe(false);
      if (envelope.ok) continue;
      expect(envelope.error.code).toBe('TB_IMPORT_INVALID');
      expect(envelope.error.message).toContain(`Cannot import ${fileName}`);
      expect(envelope.error.message).toContain(message);
    }
    await expect(engine.call('runs.import', { fileName: 'x.json', content: 'nope' })).rejects.toBeInstanceOf(TunebenchError);
    expect(await filesUnder(dataDir)).toEqual(before);
    expect((await engine.call('runs.list', {})).runs).toEqual(listed);
  });
});
