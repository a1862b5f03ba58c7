/**
 * The desktop shell: one locked-down window on the engine. The renderer is
 * served from the app scheme and gets nothing but the preload's contract
 * bridge; every call is checked to come from that window's own main frame
 * and validated by the engine. Quitting stops active runs (saved as stopped)
 * before the process exits.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { ipcChannels, type Disposer, type Envelope } from '../../shared/contract.js';
import { TunebenchError } from '../../shared/errors.js';
import { EncryptedFileSecretStore, type SecretStore } from '../engine/kinds/db/index.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { contentSecurityPolicy, forwardStreams } from '../host-binding.js';
import { APP_INDEX_URL, APP_SCHEME, appSchemePrivileges, rendererFileHandler, type RendererOrigin } from './app-protocol.js';
import { unpackedFromAsar } from './asar.js';
import { devServerUrl } from './renderer-source.js';
import { isTrustedSender, lockDownContents, lockDownSession, mainWindowOptions } from './security.js';
import { desktopEngineSettings } from './settings.js';

/** What the shell needs of an engine (tests pass a stand-in). */
export type ShellEngine = Pick<Engine, 'dispatch' | 'onStream' | 'dispose'>;

export interface DesktopShellOptions {
  /** The folder of the built main entry (out/main): renderer, preload and workers sit beside it. */
  builtDir: string;
  /** Build-time flag: this main process was built by electron-vite's dev server (`npm run dev`). */
  devServerBuild: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  createEngine?: (options: EngineOptions) => Promise<ShellEngine>;
}

export interface DesktopShell {
  /** Settles once the engine is up and the window is opening, or start-up failed and the app is exiting. */
  readonly started: Promise<void>;
}

/**
 * Wires the app; must run before Electron's 'ready' (it enables the sandbox
 * for every renderer and registers the app scheme as privileged).
 */
export function startDesktopShell(options: DesktopShellOptions): DesktopShell {
  const env = options.env ?? process.env;
  const createEngine = options.createEngine ?? ((engineOptions: EngineOptions) => Engine.create(engineOptions));
  const rendererDir = path.join(options.builtDir, '..', 'renderer');
  const preloadPath = path.join(options.builtDir, '..', 'preload', 'index.cjs');
  const devUrl = devServerUrl({ devServerBuild: options.devServerBuild, env });
  const rendererOrigin: RendererOrigin = devUrl ? { devServerUrl: devUrl } : { app: true };

  let engine: ShellEngine | undefined;
  let mainWindow: BrowserWindow | undefined;
  let stopWindowStreams: Disposer | undefined;
  let quitState: 'running' | 'shutting-down' | 'done' = 'running';

  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

  if (!app.requestSingleInstanceLock()) {
    // Two workbenches on one data directory would race on the same run files.
    app.exit(0);
    return { started: Promise.resolve() };
  }
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
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

  const started = app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Tunebench could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  return { started };

  async function start(): Promise<void> {
    lockDownSession(session.defaultSession);
    // The renderer's files, with the Content-Security-Policy header on every response.
    protocol.handle(APP_SCHEME, rendererFileHandler(rendererDir, contentSecurityPolicy()));
    const userData = app.getPath('userData');
    const dataDir = env.TUNEBENCH_DATA_DIR || userData;
    const secrets = desktopSecretStore(dataDir);
    const bound = await createEngine({
      dataDir,
      workersDir: unpackedFromAsar(path.join(options.builtDir, 'workers')),
      host: 'electron',
      // The user's settings.json (else node on PATH; never Electron's binary run as Node) and the runs-at-once limit.
      ...desktopEngineSettings(userData),
      ...(secrets ? { secrets } : {}),
    });
    engine = bound;
    ipcMain.handle(ipcChannels.call, (event, name: unknown, payload: unknown): Promise<Envelope> | Envelope => {
      if (!isTrustedSender(event, mainWindow, rendererOrigin)) {
        return { ok: false, error: new TunebenchError('TB_FORBIDDEN_SENDER').toPayload() };
      }
      return bound.dispatch(name, payload);
    });
    openWindow(bound);
  }

  function openWindow(boundEngine: ShellEngine): void {
    const window = new BrowserWindow(mainWindowOptions(preloadPath));
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
    window.loadURL(devUrl ?? APP_INDEX_URL).catch((error: unknown) => {
      dialog.showErrorBox('Tunebench could not load its window', error instanceof Error ? error.message : String(error));
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
