import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { TunebenchError } from '../../../shared/errors.js';

/** How to start a Node.js child: the executable and any environment it needs to act as plain Node. */
export interface NodeRuntime {
  command: string;
  env: Record<string, string>;
  /** Where the runtime came from, for the run's environment and error messages. */
  source: 'configured' | 'path' | 'electron-as-node' | 'current';
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string, pathValue: string | undefined): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const folder of (pathValue ?? '').split(delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = join(folder, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The subject's runtime is the user's Node, never the workbench process: a
 * configured path first, then `node` on PATH, then this executable (Electron
 * run as Node only when nothing else exists).
 */
export function resolveNodeRuntime(configuredPath?: string, pathValue = process.env.PATH): NodeRuntime {
  if (configuredPath) {
    if (!isAbsolute(configuredPath) || !isExecutableFile(configuredPath)) {
      throw new TunebenchError('TB_INVALID_OPTION', {
        detail: `nodePath must be the absolute path of an executable Node.js binary, got "${configuredPath.slice(0, 300)}"`,
      });
    }
    return { command: configuredPath, env: {}, source: 'configured' };
  }
  const onPath = findOnPath('node', pathValue);
  if (onPath) return { command: onPath, env: {}, source: 'path' };
  if (process.versions.electron) return { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' }, source: 'electron-as-node' };
  return { command: process.execPath, env: {}, source: 'current' };
}
