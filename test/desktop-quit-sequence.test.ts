import { describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../src/shared/contract.js';
import { fakeElectron, fakeEvent } from './fixtures/fake-electron.js';
import { startShell } from './fixtures/desktop-shell.js';

vi.mock('electron', () => import('./fixtures/fake-electron.js').then((m) => m.fakeElectron));

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('quitting the desktop app stops and saves active runs before the process exits', () => {
  it('holds the first before-quit, disposes the engine, then exits; a repeated quit waits for the same shutdown', async () => {
    const { engine } = await startShell();
    const { app } = fakeElectron;

    const first = fakeEvent();
    app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    expect(engine.disposeCalls).toBe(1);
    // No more engine calls from the window while it shuts down.
    expect(fakeElectron.ipcMain.handlers.has(ipcChannels.call)).toBe(false);

    const again = fakeEvent();
    app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(true);
    expect(engine.disposeCalls).toBe(1);
    await settle();
    expect(app.exitCodes).toEqual([]);

    engine.finishDispose();
    await settle();
    expect(app.exitCodes).toEqual([0]);
    // The quit that app.exit() starts is let through.
    const last = fakeEvent();
    app.emit('before-quit', last);
    expect(last.defaultPrevented).toBe(false);
    expect(engine.disposeCalls).toBe(1);
  });

  it('exits even when the engine fails to shut down', async () => {
    const { engine } = await startShell();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    fakeElectron.app.emit('before-quit', fakeEvent());
    engine.finishDispose(new Error('disk full'));
    await settle();
    expect(fakeElectron.app.exitCodes).toEqual([0]);
    expect(errors).toHaveBeenCalledWith('tunebench: shutting the engine down failed:', expect.any(Error));
    errors.mockRestore();
  });

  it('closing the last window quits (except on macOS); the stream forwarding to it stops', async () => {
    const { window, engine } = await startShell();
    expect(engine.listeners.size).toBe(1);
    window.close();
    expect(engine.listeners.size).toBe(0);
    fakeElectron.app.emit('window-all-closed');
    expect(fakeElectron.app.quitCalls).toBe(process.platform === 'darwin' ? 0 : 1);
  });
});
