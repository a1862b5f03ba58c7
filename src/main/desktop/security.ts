/**
 * The desktop shell's locks, each a plain function over Electron's objects so
 * it is exercised by tests with a stand-in for the electron module: the
 * window's web preferences, what every web contents may not do, what the
 * session denies, and which IPC sender may call the engine.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { isRendererAddress, type RendererOrigin } from './app-protocol.js';

/** The one window: isolated, sandboxed, no Node, no <webview>; the preload's bridge is all it gets. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Tunebench',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * Every web contents, present and future: no navigation away, no redirects,
 * no sub-frame navigation, no pop-ups, no <webview>. The renderer routes
 * with the URL hash, which is not a navigation.
 */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The session grants no permission (camera, notifications, clipboard, ...), asked or checked. */
export function lockDownSession(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}

/**
 * Only our window's top frame, showing our own renderer page, may call the
 * engine; a frame inside it, any other web contents, or a page it was somehow
 * navigated to may not.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  window: BrowserWindow | undefined,
  origin: RendererOrigin,
): boolean {
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  if (contents.isDestroyed() || event.sender.id !== contents.id) return false;
  const frame = event.senderFrame;
  const main = contents.mainFrame;
  if (!frame || frame.parent !== null) return false;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isRendererAddress(frame.url, origin);
}
