import { describe, expect, it, vi } from 'vitest';
import { fakeElectron, fakeEvent, FakeWebContents } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

function expectLockedDown(contents: FakeWebContents): void {
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    const event = fakeEvent({ url: 'https://example.com/' });
    contents.emit(name, event);
    expect(event.defaultPrevented, name).toBe(true);
  }
  const subFrame = fakeEvent({ url: 'https://example.com/', isMainFrame: false });
  contents.emit('will-frame-navigate', subFrame);
  expect(subFrame.defaultPrevented).toBe(true);
  // The main frame's own navigation is judged by will-navigate (above), which refuses it.
  const mainFrame = fakeEvent({ url: 'https://example.com/', isMainFrame: true });
  contents.emit('will-frame-navigate', mainFrame);
  expect(mainFrame.defaultPrevented).toBe(false);
  expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
}

describe('no web contents of the desktop app can go anywhere else', () => {
  it("the window's contents: navigation, redirects, sub-frame navigation, <webview> and window.open are refused", async () => {
    const { window } = await startShell();
    expectLockedDown(window.webContents);
  });

  it('so is every web contents created later (a devtools page, anything a renderer could open)', async () => {
    await startShell();
    const later = new FakeWebContents();
    fakeElectron.app.emit('web-contents-created', fakeEvent(), later);
    expectLockedDown(later);
  });
});
