/**
 * Where the window's renderer comes from. A built app always serves its own
 * files through the app scheme; only a main process built by electron-vite's
 * dev server (`npm run dev`) may load Vite's server instead, from the address
 * electron-vite hands it in ELECTRON_RENDERER_URL. In a built app that
 * variable is ignored, so nothing in the environment can point the window,
 * and the engine's IPC, at another page.
 */

export interface RendererSourceInputs {
  /** Build-time: this main process was built by `electron-vite dev` (define __TUNEBENCH_DEV_SERVER__). */
  devServerBuild: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Vite's dev-server address when, and only when, this is an electron-vite dev run; else undefined. */
export function devServerUrl({ devServerBuild, env }: RendererSourceInputs): string | undefined {
  if (!devServerBuild) return undefined;
  // electron-vite dev sets this in its own process, which starts Electron.
  if (env.NODE_ENV_ELECTRON_VITE !== 'development') return undefined;
  const raw = env.ELECTRON_RENDERER_URL;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  // Vite's server listens on this machine; never a remote page.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return url.origin + '/';
}
