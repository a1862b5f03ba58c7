import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../src/shared/contract.js';
import { isRendererAddress } from '../src/main/desktop/app-protocol.js';
import { fakeElectron, FakeWebContents, type FakeFrame } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

describe('the desktop shell accepts engine calls only from its own renderer page', () => {
  const app = { app: true } as const;

  it("accepts the app scheme's index.html, whichever page its hash routes to", () => {
    expect(isRendererAddress('tunebench://app/index.html', app)).toBe(true);
    expect(isRendererAddress('tunebench://app/index.html#/runs/20261125T101010-pool-abc123', app)).toBe(true);
  });

  it('refuses another page of the scheme, another host, a file, a web page, and an unreadable address', () => {
    for (const address of [
      'tunebench://app/assets/app.js',
      'tunebench://app/other.html',
      'tunebench://evil/index.html',
      'tunebench://app:8080/index.html',
      'tunebench://user@app/index.html',
      'file:///opt/tunebench/out/renderer/index.html',
      'https://example.com/index.html',
      'http://localhost:5173/',
      'about:blank',
      'not a url',
    ]) {
      expect(isRendererAddress(address, app), address).toBe(false);
    }
  });

  it("in dev, accepts only the Vite server's origin", () => {
    const dev = { devServerUrl: 'http://localhost:5173/' };
    expect(isRendererAddress('http://localhost:5173/#/pool', dev)).toBe(true);
    expect(isRendererAddress('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererAddress('tunebench://app/index.html', dev)).toBe(false);
  });

  describe('through ipcMain', () => {
    async function call(sender: FakeWebContents, senderFrame: FakeFrame | null) {
      const handler = fakeElectron.ipcMain.handlers.get(ipcChannels.call)!;
      return handler({ sender, senderFrame }, 'app.info', {});
    }

    it("dispatches a call from the window's main frame showing the app page", async () => {
      const { window, engine } = await startShell();
      expect(await call(window.webContents, window.webContents.mainFrame)).toEqual({ ok: true, value: { answered: 'app.info' } });
      expect(engine.calls).toEqual([{ name: 'app.info', payload: {} }]);
    });

    it('refuses a sub-frame, another web contents, a page navigated elsewhere, and a closed window', async () => {
      const { window, engine } = await startShell();
      const forbidden = { ok: false, error: { code: 'TB_FORBIDDEN_SENDER', message: expect.any(String) } };
      const contents = window.webContents;
      expect(await call(contents, contents.subFrame('tunebench://app/index.html'))).toEqual(forbidden);
      expect(await call(contents, null)).toEqual(forbidden);
      const other = new FakeWebContents();
      other.mainFrame.url = 'tunebench://app/index.html';
      expect(await call(other, other.mainFrame)).toEqual(forbidden);
      // The right contents, but a frame object of another process claiming to be its main frame.
      expect(await call(contents, { ...contents.mainFrame, processId: contents.mainFrame.processId + 1 })).toEqual(forbidden);
      contents.mainFrame.url = 'https://example.com/';
      expect(await call(contents, contents.mainFrame)).toEqual(forbidden);
      contents.mainFrame.url = 'file:///opt/tunebench/out/renderer/index.html';
      expect(await call(contents, contents.mainFrame)).toEqual(forbidden);
      contents.mainFrame.url = 'tunebench://app/index.html';
      window.close();
      expect(await call(contents, contents.mainFrame)).toEqual(forbidden);
      expect(engine.calls).toEqual([]);
    });
  });
});
