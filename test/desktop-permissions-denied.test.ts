import { describe, expect, it, vi } from 'vitest';
import { fakeElectron } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

describe("the desktop app's session grants no permission", () => {
  it('denies every permission request, check and device access', async () => {
    const { window } = await startShell();
    const session = fakeElectron.session.defaultSession;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fileSystem']) {
      const grant = vi.fn();
      session.permissionRequestHandler!(window.webContents, permission, grant);
      expect(grant, permission).toHaveBeenCalledExactlyOnceWith(false);
      expect(session.permissionCheckHandler!(window.webContents, permission), permission).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });
});
