import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathInside } from '../src/main/engine/safe-path.js';
import { engineFactory } from './fixtures/engine.js';
import { runReport, sweepReport } from './fixtures/report-files.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const engines = engineFactory();

/** Every file and folder under a directory, so a test can show nothing changed there. */
async function tree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

/** A data directory inside a sandbox folder that also holds a bystander folder an attack would reach with "../". */
async function sandbox() {
  const root = await engines.tempDir();
  const dataDir = path.join(root, 'data');
  const bystander = path.join(root, 'bystander');
  await fs.mkdir(path.join(bystander, 'keep'), { recursive: true });
  await fs.writeFile(path.join(bystander, 'keep', 'precious.json'), '{}');
  await fs.mkdir(path.join(root, 'data', 'runs'), { recursive: true });
  return { root, dataDir, engine: await engines.open(dataDir) };
}

describe('import of a report with hostile ids', () => {
  it('refuses run and sweep ids with "../" or "..", whole, and writes nothing anywhere', async () => {
    const { root, engine } = await sandbox();
    const before = await tree(root);
    const attacks: Array<[string, unknown]> = [
      ['run-dotdot-slash', runReport(tinyRunRecord('../../bystander/evil'))],
      ['run-dotdot', runReport(tinyRunRecord('..'))],
      ['run-dot', runReport(tinyRunRecord('.'))],
      ['run-hidden', runReport(tinyRunRecord('.bashrc'))],
      ['sweep-dotdot-slash', sweepReport('../bystander/keep', ['ok-1'])],
      ['sweep-run-dotdot', sweepReport('fine-sweep', ['..'])],
      ['artifact-path', runReport({ ...tinyRunRecord('r-art'), artifacts: [{ name: 'x', kind: 'cpu-profile', file: '../../../etc/passwd', bytes: 1, createdAt: '2025-01-01T00:00:00.000Z' }] })],
      ['origin-sweep', runReport({ ...tinyRunRecord('r-origin'), origin: { sweepId: '../bystander' } })],
    ];
    for (const [name, report] of attacks) {
      const envelope = await engine.dispatch('runs.import', { fileName: `${name}.json`, content: JSON.stringify(report) });
      expect(envelope.ok, name).toBe(false);
      if (!envelope.ok) expect(envelope.error.code, name).toBe('TB_IMPORT_INVALID');
    }
    expect(await tree(root)).toEqual(before);
  });

  it('cannot delete outside its folder: a run id ".." never reaches the store, and the store refuses it on its own', async () => {
    const { root, dataDir, engine } = await sandbox();
    await engine.call('runs.import', { fileName: 'ok.json', content: JSON.stringify(runReport(tinyRunRecord('ok'))) });
    const before = await tree(root);
    for (const runId of ['..', '../bystander', '.', '']) {
      const envelope = await engine.dispatch('runs.delete', { runId });
      expect(envelope.ok, runId).toBe(false);
      if (!envelope.ok) expect(envelope.error.code).toBe('TB_INVALID_PAYLOAD');
    }
    // Below the contract, the store builds no path from an unsafe id.
    await expect(engine.runStore.delete('..')).rejects.toMatchObject({ code: 'TB_RUN_NOT_FOUND' });
    expect(() => engine.runStore.runDir('..')).toThrow(expect.objectContaining({ code: 'TB_INVALID_ID' }));
    expect(() => engine.runStore.fileOf('../x')).toThrow(expect.objectContaining({ code: 'TB_INVALID_ID' }));
    expect(() => pathInside(dataDir, 'a/b')).toThrow('Invalid run id "a/b"');
    expect(await tree(root)).toEqual(before);
  });

  it('rolls back a failed import file by file: only what it created goes, no folder is removed', async () => {
    const { dataDir, engine } = await sandbox();
    // A run folder that is not this import's (artifacts of a run that happens to share the id's folder name).
    const foreignFolder = path.join(dataDir, 'runs', 's-run-1');
    await fs.mkdir(foreignFolder, { recursive: true });
    await fs.writeFile(path.join(foreignFolder, 'snapshot.heapsnapshot'), 'keep me');
    // The sweep's file cannot be created: something already holds its name.
    await fs.mkdir(path.join(dataDir, 'sweeps', 'blocked-sweep.json'), { recursive: true });
    const envelope = await engine.dispatch('runs.import', {
      fileName: 'sweep.json',
      content: JSON.stringify(sweepReport('blocked-sweep', ['s-run-1', 's-run-2'])),
    });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) expect(envelope.error.code).toBe('TB_STORE_WRITE');
    expect((await engine.call('runs.list', {})).runs).toEqual([]);
    await expect(fs.access(path.join(dataDir, 'runs', 's-run-1.json'))).rejects.toThrow();
    await expect(fs.access(path.join(dataDir, 'runs', 's-run-2.json'))).rejects.toThrow();
    expect(await fs.readFile(path.join(foreignFolder, 'snapshot.heapsnapshot'), 'utf8')).toBe('keep me');
  });

  it('imports under a new id when the id is taken by another run, and says so; the same run again is skipped', async () => {
    const { dataDir, engine } = await sandbox();
    await engine.call('runs.import', { fileName: 'mine.json', content: JSON.stringify(runReport(tinyRunRecord('shared-id'))) });
    const mineBefore = await fs.readFile(path.join(dataDir, 'runs', 'shared-id.json'), 'utf8');
    const theirs = { ...tinyRunRecord('shared-id'), name: 'their run' };
    const result = await engine.call('runs.import', { fileName: 'theirs.json', content: JSON.stringify(runReport(theirs)) });
    expect(result.skipped).toEqual([]);
    expect(result.renamed).toHaveLength(1);
    expect(result.renamed[0]).toMatchObject({ type: 'run', from: 'shared-id' });
    const newId = result.renamed[0]!.to;
    expect(newId).toMatch(/^shared-id-imported-[0-9a-f]{8}$/);
    expect(result.runs).toEqual([newId]);
    expect((await engine.call('runs.get', { runId: newId })).run.name).toBe('their run');
    expect(await fs.readFile(path.join(dataDir, 'runs', 'shared-id.json'), 'utf8')).toBe(mineBefore);
    const again = await engine.call('runs.import', { fileName: 'mine.json', content: JSON.stringify(runReport(tinyRunRecord('shared-id'))) });
    expect(again).toEqual({ runs: [], sweeps: [], skipped: ['shared-id'], renamed: [] });
  });

  it('renames a clashing sweep and its runs together, keeping every link inside the file', async () => {
    const { engine } = await sandbox();
    await engine.call('runs.import', { fileName: 'a.json', content: JSON.stringify(sweepReport('sw', ['sw-1', 'sw-2'])) });
    const other = sweepReport('sw', ['sw-1', 'sw-2']);
    (other.sweep as { name: string }).name = 'another sweep';
    for (const run of other.runs as Array<{ name: string }>) run.name = 'another run';
    const result = await engine.call('runs.import', { fileName: 'b.json', content: JSON.stringify(other) });
    expect(result.renamed.map((r) => r.type).sort()).toEqual(['run', 'run', 'sweep']);
    const sweepId = result.sweeps[0]!;
    const { sweep } = await engine.call('sweeps.get', { sweepId });
    expect(sweep.name).toBe('another sweep');
    expect(sweep.runs.map((entry) => entry.runId).sort()).toEqual([...result.runs].sort());
    for (const runId of result.runs) expect((await engine.call('runs.get', { runId })).run.origin?.sweepId).toBe(sweepId);
  });

  it('never lets a run take the store\'s own folder name ("corrupt"): it is imported under a new id', async () => {
    const { dataDir, engine } = await sandbox();
    await fs.mkdir(path.join(dataDir, 'runs', 'corrupt'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'runs', 'corrupt', 'old.json.1'), 'set aside');
    const result = await engine.call('runs.import', { fileName: 'c.json', content: JSON.stringify(runReport(tinyRunRecord('corrupt'))) });
    expect(result.renamed[0]).toMatchObject({ from: 'corrupt' });
    await engine.call('runs.delete', { runId: result.runs[0]! });
    expect(await fs.readFile(path.join(dataDir, 'runs', 'corrupt', 'old.json.1'), 'utf8')).toBe('set aside');
  });
});
