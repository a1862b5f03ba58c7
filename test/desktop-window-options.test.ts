import { describe, expect, it, vi } from 'vitest';
import { startDesktopShell } from '../src/main/desktop/shell.js';
import { fakeElectron, FakeBrowserWindow, resetFakeElectron } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

describe('the desktop window', () => {
  it('is isolated and sandboxed, with no Node, no <webview>, and the preload bridge only', async () => {
    const { window } = await startShell({ builtDir: '/opt/tunebench/out/main' });
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      preload: '/opt/tunebench/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    // Every renderer sandboxed, switched on before the app was ready.
    expect(fakeElectron.app.sandboxEnabled).toBe(true);
    expect(fakeElectron.app.calls.indexOf('enableSandbox')).toBeLessThan(fakeElectron.app.calls.indexOf('whenReady'));
  });

  it('loads the renderer from the app scheme, never a file:// URL, and shows when ready', async () => {
    const { window } = await startShell();
    expect(window.loadedUrls).toEqual(['tunebench://app/index.html']);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('a second instance exits at once instead of sharing the data directory', async () => {
    resetFakeElectron();
    fakeElectron.app.singleInstance = false;
    await startDesktopShell({ builtDir: '/opt/tunebench/out/main', devServerBuild: false, env: {} }).started;
    expect(fakeElectron.app.exitCodes).toEqual([0]);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});
