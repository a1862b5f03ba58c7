import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startDesktopShell } from '../src/main/desktop/shell.js';
import { fakeElectron, resetFakeElectron } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tunebench-desktop-settings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A userData folder holding `settings.json` with this text (none when undefined). */
function userData(settings: string | undefined): string {
  const dir = mkdtempSync(path.join(scratch, 'user-data-'));
  if (settings !== undefined) writeFileSync(path.join(dir, 'settings.json'), settings);
  return dir;
}

/** Starts the shell on a userData folder (set on the fake app before the shell asks for it). */
async function startOn(dir: string, createEngine?: Parameters<typeof startDesktopShell>[0]['createEngine']) {
  resetFakeElectron();
  fakeElectron.app.userData = dir;
  await startDesktopShell({
    builtDir: '/opt/tunebench/out/main',
    devServerBuild: false,
    env: { TUNEBENCH_DATA_DIR: path.join(dir, 'data') },
    ...(createEngine ? { createEngine } : {}),
  }).started;
}

describe("the desktop app's Node runtime is its own setting (settings.json in userData)", () => {
  it('hands "nodePath" to the engine, with where it is set for messages', async () => {
    const dir = userData(JSON.stringify({ nodePath: process.execPath }));
    let received: unknown;
    await startOn(dir, async (options) => {
      received = options;
      return { dispatch: async () => ({ ok: true, value: null }), onStream: () => () => {}, dispose: async () => {} };
    });
    expect(received).toMatchObject({
      host: 'electron',
      dataDir: path.join(dir, 'data'),
      workersDir: '/opt/tunebench/out/main/workers',
      nodeRuntime: { path: process.execPath, setting: `"nodePath" in ${path.join(dir, 'settings.json')}` },
    });
  });

  it('without the file, node on PATH; the setting is still named for the error when there is none', async () => {
    const { engineOptions } = await startShell();
    expect(engineOptions.nodeRuntime).toEqual({ setting: '"nodePath" in /nonexistent/tunebench-user-data/settings.json' });
  });

  it('a bad setting stops start-up with a message naming the file (real engine)', async () => {
    for (const [text, message] of [
      ['{"nodePath": "node"}', /"nodePath" in .*settings\.json must be the absolute path of an executable Node\.js binary, got "node"/],
      ['{"nodePath": ', /settings\.json is not valid JSON/],
      ['{"nodepath": "/usr/bin/node"}', /settings\.json: Unrecognized key: "nodepath"/],
    ] as const) {
      await startOn(userData(text));
      expect(fakeElectron.dialog.errors, text).toEqual([{ title: 'Tunebench could not start', content: expect.stringMatching(message) }]);
      expect(fakeElectron.app.exitCodes).toEqual([1]);
    }
  });
});
