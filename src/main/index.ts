/**
 * The desktop app's entry (out/main/index.js). Everything it does lives in
 * ./desktop (window, app scheme, security, IPC sender check, quit sequence),
 * where tests exercise it with a stand-in for the electron module.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDesktopShell } from './desktop/shell.js';

// Set by electron.vite.config.ts: true only in a main process built by `electron-vite dev`.
declare const __TUNEBENCH_DEV_SERVER__: boolean | undefined;

startDesktopShell({
  builtDir: path.dirname(fileURLToPath(import.meta.url)),
  devServerBuild: typeof __TUNEBENCH_DEV_SERVER__ === 'boolean' && __TUNEBENCH_DEV_SERVER__,
});
