import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { NodeRuntimeResolver } from '../src/main/engine/processes/node-runtime.js';
import { engineFactory } from './fixtures/engine.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tunebench-node-runtime-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An executable `node` that notes each start in `marker`, then is the real Node. */
function wrapperNode(dir: string, marker: string): string {
  const file = path.join(dir, 'node');
  writeFileSync(file, `#!/bin/sh\necho started >> "${marker}"\nexec "${process.execPath}" "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

const emptyPath = path.join(scratch, 'empty-bin');
const pathBin = path.join(scratch, 'bin');
for (const dir of [emptyPath, pathBin]) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
}
const pathNode = wrapperNode(pathBin, path.join(scratch, 'path-marker'));

describe('the subject Node runtime is a host setting, resolved in one place', () => {
  it('uses the configured path, checked when the host hands it over', () => {
    expect(new NodeRuntimeResolver({ path: process.execPath, setting: '--node <path>' }).resolve()).toEqual({
      command: process.execPath,
      source: 'setting',
    });
    for (const bad of ['node', path.join(scratch, 'missing-node'), scratch]) {
      expect(() => new NodeRuntimeResolver({ path: bad, setting: '--node <path>' })).toThrow(
        expect.objectContaining({ code: 'TB_OPTION_OUT_OF_RANGE', message: expect.stringMatching(/^--node <path> must be the absolute path of an executable Node\.js binary/) }),
      );
    }
  });

  it('defaults to node on PATH', () => {
    expect(new NodeRuntimeResolver({}, { pathValue: `${emptyPath}${path.delimiter}${pathBin}`, underElectron: true }).resolve()).toEqual({
      command: pathNode,
      source: 'path',
    });
  });

  it("without node on PATH, the CLI and web host fall back on their own Node; Electron fails naming the setting", () => {
    expect(new NodeRuntimeResolver({}, { pathValue: emptyPath, underElectron: false }).resolve()).toEqual({
      command: process.execPath,
      source: 'workbench',
    });
    const desktop = new NodeRuntimeResolver({ setting: '"nodePath" in /home/u/.config/Tunebench/settings.json' }, { pathValue: emptyPath, underElectron: true });
    expect(() => desktop.resolve()).toThrow(
      expect.objectContaining({
        code: 'TB_NODE_NOT_FOUND',
        message: expect.stringContaining('choose one with "nodePath" in /home/u/.config/Tunebench/settings.json'),
      }),
    );
  });

  it('no source file runs Electron as Node', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        // Naming it to strip it from a child's environment is fine; setting it is not.
        else if (/ELECTRON_RUN_AS_NODE['"]?\s*[:=]|\[['"]ELECTRON_RUN_AS_NODE['"]\]\s*=/.test(readFileSync(file, 'utf8'))) offenders.push(file);
      }
    };
    walk(path.resolve('src'));
    expect(offenders).toEqual([]);
  });

  describe('through the engine', () => {
    const engines = engineFactory();

    it("subject processes start on the host's runtime; a wrong one fails before anything starts", async () => {
      const marker = path.join(scratch, 'setting-marker');
      const chosen = wrapperNode(mkdtempSync(path.join(scratch, 'chosen-')), marker);
      const dataDir = await engines.tempDir();
      const engine = await Engine.create({
        dataDir,
        workersDir: process.env.TUNEBENCH_WORKERS_DIR!,
        host: 'test',
        nodeRuntime: { path: chosen, setting: '--node <path>' },
      });
      try {
        const { steps } = await engine.call('runtime.phaseTrace', {});
        expect(steps.length).toBeGreaterThan(3);
        expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual(['started']);
        // A memory run's sandbox too; the record says which runtime ran it, as information.
        const record = await engine.runs.start({ kind: 'memory', scenario: 'churn', durationSec: 2, rate: 100, leakRule: { warmupSec: 0, sustainSec: 1 } }).done;
        expect(record.status, record.error?.message).toBe('completed');
        expect(readFileSync(marker, 'utf8').trim().split('\n')).toHaveLength(2);
        expect(record.environment.extra).toMatchObject({ subjectNodePath: chosen, subjectNodeSource: 'setting', subjectNode: process.versions.node });
      } finally {
        await engine.dispose();
      }
      await expect(
        Engine.create({ dataDir, workersDir: process.env.TUNEBENCH_WORKERS_DIR!, host: 'test', nodeRuntime: { path: 'node', setting: '--node <path>' } }),
      ).rejects.toMatchObject({ code: 'TB_OPTION_OUT_OF_RANGE' });
    });
  });
});
