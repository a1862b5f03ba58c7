// Injected at build time from package.json by electron.vite.config.ts; the
// fallback covers unbuilt use (vitest runs the sources directly).
declare const __TUNEBENCH_VERSION__: string | undefined;
export const TUNEBENCH_VERSION: string =
  typeof __TUNEBENCH_VERSION__ === 'string' ? __TUNEBENCH_VERSION__ : '0.0.0-dev';
