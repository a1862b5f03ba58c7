/**
 * The one place that decides which Node.js runs subject processes (the
 * cluster supervisor and its test servers, memory sandboxes, the phase
 * trace). The choice is a host setting (CLI and web host `--node <path>`,
 * the desktop app's settings file), handed to the Engine; never a spec or
 * run-record field. Default: `node` on PATH. Electron's own binary is never
 * used as Node (its RunAsNode fuse is off in packaged builds).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { TunebenchError } from '../../../shared/errors.js';

/** How the user picks the runtime in the hosts, for messages when none is found. */
export const NODE_SETTING_HINT = '--node <path> (CLI, web host) or "nodePath" in the desktop app\'s settings.json';

/** The host's choice of runtime. */
export interface NodeRuntimeSetting {
  /** Absolute path of a Node.js executable the user chose; unset means `node` on PATH. */
  path?: string | undefined;
  /** Where the user sets it in this host, named by error messages, e.g. `--node <path>`. */
  setting?: string | undefined;
}

/** A resolved runtime: the executable and where it came from (recorded as information, never read back). */
export interface NodeRuntime {
  command: string;
  /** setting: the host's --node / settings file; path: `node` on PATH; workbench: the CLI's or web host's own Node. */
  source: 'setting' | 'path' | 'workbench';
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(name: string, pathValue: string | undefined): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const folder of (pathValue ?? '').split(delimiter)) {
    if (!folder || !isAbsolute(folder)) continue;
    for (const extension of extensions) {
      const candidate = join(folder, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface NodeRuntimeResolverOptions {
  /** PATH to search; default process.env.PATH. */
  pathValue?: string | undefined;
  /** Whether the workbench itself runs in Electron (then its own binary is no Node to fall back on). Default: detected. */
  underElectron?: boolean;
}

/**
 * Resolves the subject runtime from the host's setting. A configured path is
 * checked when the resolver is made (so a wrong --node fails before anything
 * starts); PATH is searched when a subject is about to start, so hosts that
 * never start one (pool and db runs) do not need Node on PATH.
 */
export class NodeRuntimeResolver {
  private readonly configured: string | undefined;
  private readonly setting: string;
  private readonly pathValue: string | undefined;
  private readonly underElectron: boolean;

  constructor(setting: NodeRuntimeSetting = {}, options: NodeRuntimeResolverOptions = {}) {
    this.setting = setting.setting || NODE_SETTING_HINT;
    this.pathValue = 'pathValue' in options ? options.pathValue : process.env.PATH;
    this.underElectron = options.underElectron ?? Boolean(process.versions.electron);
    if (setting.path !== undefined) {
      if (!isAbsolute(setting.path) || !isExecutableFile(setting.path)) {
        throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', {
          option: this.setting,
          rule: `the absolute path of an executable Node.js binary, got "${setting.path.slice(0, 300)}"`,
        });
      }
      this.configured = setting.path;
    }
  }

  /** The runtime to start a subject on now; throws TB_NODE_NOT_FOUND naming the setting when there is none. */
  resolve(): NodeRuntime {
    if (this.configured) return { command: this.configured, source: 'setting' };
    const onPath = findOnPath('node', this.pathValue);
    if (onPath) return { command: onPath, source: 'path' };
    // The CLI and the web host are Node themselves; Electron's binary is not one.
    if (!this.underElectron) return { command: process.execPath, source: 'workbench' };
    throw new TunebenchError('TB_NODE_NOT_FOUND', { setting: this.setting });
  }
}
