/**
 * The desktop shell (out/main/index.js): one locked-down window on the
 * engine. The renderer gets nothing but the preload's contract bridge; every
 * call is checked to come from that window's own main frame and validated by
 * the engine. Quitting stops active runs (saved as stopped) before exit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, type IpcMainInvokeEvent, type Session } from 'electron';
import { ipcChannels, type Disposer, type Envelope } from '../shared/contract.js';
import { TunebenchError } from '../shared/errors.js';
import { EncryptedFileSecretStore, type SecretStore } from './engine/db/index.js';
import { Engine } from './engine/engine.js';
import { contentSecurityPolicy, forwardStreams, isRendererAddress, workersDirBeside } from './host-binding.js';

const builtDir = path.dirname(fileURLToPath(import.meta.url));
/** electron-vite sets this while `npm run dev` serves the renderer with hot reload. */
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererIndex = path.join(builtDir, '..', 'renderer', 'index.html');

let engine: Engine | undefined;
let mainWindow: BrowserWindow | undefined;
let stopWindowStreams: Disposer | undefined;
let quitState: 'running' | 'shutting-down' | 'done' = 'running';

// Every renderer sandboxed, not only the windows that ask for it; must run before 'ready'.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Two workbenches on one data directory would race on the same run files.
  app.exit(0);
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    // Every web contents, present and future: no navigation away, no pop-ups, no <webview>.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (engine && !mainWindow) openWindow(engine);
  });
  app.on('before-quit', (event) => {
    if (quitState === 'done') return;
    // Active runs must be stopped and saved before the process goes.
    event.preventDefault();
    if (quitState === 'shutting-down') return;
    quitState = 'shutting-down';
    void shutDown().finally(() => {
      quitState = 'done';
      app.exit(0);
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Tunebench could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  const dataDir = process.env.TUNEBENCH_DATA_DIR || app.getPath('userData');
  const secrets = desktopSecretStore(dataDir);
  const started = await Engine.create({
    dataDir,
    workersDir: workersDirBeside(import.meta.url),
    host: 'electron',
    ...(secrets ? { secrets } : {}),
  });
  engine = started;
  ipcMain.handle(ipcChannels.call, (event, name: unknown, payload: unknown): Promise<Envelope> | Envelope => {
    if (!isOwnWindowMainFrame(event)) return { ok: false, error: new TunebenchError('TB_FORBIDDEN_SENDER').toPayload() };
    return started.dispatch(name, payload);
  });
  openWindow(started);
}

/**
 * Database passwords on the desktop are kept with safeStorage (the OS
 * keychain, or libsecret/kwallet on Linux). Where encryption is unavailable
 * the engine's default keeps them in memory only, for the session.
 */
function desktopSecretStore(dataDir: string): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const backend =
    process.platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function'
      ? safeStorage.getSelectedStorageBackend()
      : 'os-keychain';
  return new EncryptedFileSecretStore(path.join(dataDir, 'db-secrets.json'), {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
    backend,
  });
}

function openWindow(boundEngine: Engine): void {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Tunebench',
    webPreferences: {
      preload: path.join(builtDir, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  mainWindow = window;
  const contents = window.webContents;
  stopWindowStreams = forwardStreams(boundEngine, {
    isOpen: () => !window.isDestroyed() && !contents.isDestroyed(),
    deliver: (stream, payload) => contents.send(ipcChannels.stream, stream, payload),
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    stopWindowStreams?.();
    stopWindowStreams = undefined;
    if (mainWindow === window) mainWindow = undefined;
  });
  const loading = devRendererUrl
    ? window.loadURL(devRendererUrl)
    : window.loadFile(rendererIndex);
  loading.catch((error: unknown) => {
    dialog.showErrorBox('Tunebench could not load its window', error instanceof Error ? error.message : String(error));
  });
}

/**
 * Only our window's top frame, showing our own renderer, may call the engine;
 * a frame inside it, any other contents, or a page it was somehow navigated to may not.
 */
function isOwnWindowMainFrame(event: IpcMainInvokeEvent): boolean {
  const window = mainWindow;
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  const frame = event.senderFrame;
  const main = contents.mainFrame;
  if (event.sender.id !== contents.id || !frame) return false;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isRendererAddress(frame.url, devRendererUrl ? { devServerUrl: devRendererUrl } : { indexFile: rendererIndex });
}

function hardenSession(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  target.setPermissionCheckHandler(() => false);
  // In dev the renderer comes from Vite's server, whose hot-reload client needs inline scripts and
  // its own socket; there the renderer's meta tag alone applies. Built files always get the header.
  if (devRendererUrl) return;
  const policy = contentSecurityPolicy();
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

async function shutDown(): Promise<void> {
  ipcMain.removeHandler(ipcChannels.call);
  stopWindowStreams?.();
  stopWindowStreams = undefined;
  try {
    await engine?.dispose();
  } catch (error) {
    console.error('tunebench: shutting the engine down failed:', error);
  }
}
