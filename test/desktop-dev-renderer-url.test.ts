import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../src/shared/contract.js';
import { devServerUrl } from '../src/main/desktop/renderer-source.js';
import { fakeElectron } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

const devEnv = { NODE_ENV_ELECTRON_VITE: 'development', ELECTRON_RENDERER_URL: 'http://localhost:5173' };

describe('ELECTRON_RENDERER_URL is honoured only under electron-vite dev', () => {
  it('a built main process ignores it, whatever the environment says', () => {
    expect(devServerUrl({ devServerBuild: false, env: devEnv })).toBeUndefined();
    expect(devServerUrl({ devServerBuild: false, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' } })).toBeUndefined();
  });

  it('a dev build uses it only when electron-vite dev started the app, and only on this machine', () => {
    expect(devServerUrl({ devServerBuild: true, env: devEnv })).toBe('http://localhost:5173/');
    expect(devServerUrl({ devServerBuild: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })).toBeUndefined();
    for (const url of ['https://evil.example/', 'http://192.168.1.9:5173', 'file:///etc/passwd', 'javascript:alert(1)', 'nonsense']) {
      expect(devServerUrl({ devServerBuild: true, env: { ...devEnv, ELECTRON_RENDERER_URL: url } }), url).toBeUndefined();
    }
  });

  it('the shell of a built app loads its own page and trusts no other for IPC', async () => {
    const { window, engine } = await startShell({ devServerBuild: false, env: { ...devEnv, ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(window.loadedUrls).toEqual(['tunebench://app/index.html']);
    const contents = window.webContents;
    contents.mainFrame.url = 'http://localhost:5173/';
    const answer = await fakeElectron.ipcMain.handlers.get(ipcChannels.call)!({ sender: contents, senderFrame: contents.mainFrame }, 'app.info', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'TB_FORBIDDEN_SENDER' } });
    expect(engine.calls).toEqual([]);
  });

  it('the shell of a dev build loads Vite and trusts its origin', async () => {
    const { window, engine } = await startShell({ devServerBuild: true, env: devEnv });
    expect(window.loadedUrls).toEqual(['http://localhost:5173/']);
    const contents = window.webContents;
    await fakeElectron.ipcMain.handlers.get(ipcChannels.call)!({ sender: contents, senderFrame: contents.mainFrame }, 'app.info', {});
    expect(engine.calls).toHaveLength(1);
  });

  it('`electron-vite build` bakes "not a dev build" into out/main/index.js', () => {
    const built = path.resolve('out/main/index.js');
    if (!existsSync(built)) {
      console.log(`skipped the build check: ${built} does not exist (run npm run build)`);
      return;
    }
    const source = readFileSync(built, 'utf8');
    expect(source).not.toContain('__TUNEBENCH_DEV_SERVER__');
    expect(source).toMatch(/devServerBuild:\s*(false|!1)/);
  });
});
