/**
 * The desktop app's own settings: `settings.json` in Electron's userData
 * folder, written by the user, never by a spec or a run: the Node.js that
 * subject processes (cluster, memory sandboxes, phase trace) run on, and how
 * many runs may run at once:
 *
 *     { "nodePath": "/usr/local/bin/node", "maxConcurrentRuns": 4 }
 *
 * Without nodePath the engine uses `node` on PATH; Electron's own binary is
 * never run as Node.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TunebenchError } from '../../shared/errors.js';
import { describeZodError } from '../../shared/validation.js';
import type { NodeRuntimeSetting } from '../engine/processes/node-runtime.js';

export const DESKTOP_SETTINGS_FILE = 'settings.json';

const DesktopSettingsSchema = z
  .object({
    /** Absolute path of the node executable subject processes run on. */
    nodePath: z.string().min(1).max(4_096).optional(),
    /** Runs allowed at once (1 to 64, default 4). */
    maxConcurrentRuns: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

/** Reads the settings file; a missing file is no settings, a broken one an error naming the file. */
export function readDesktopSettings(userDataDir: string): { file: string; settings: DesktopSettings } {
  const file = path.join(userDataDir, DESKTOP_SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, settings: {} };
    throw new TunebenchError('TB_FILE_UNREADABLE', { file, reason: (error as Error).message }, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TunebenchError('TB_FILE_NOT_JSON', { file, reason: (error as Error).message }, { cause: error });
  }
  const parsed = DesktopSettingsSchema.safeParse(json);
  if (!parsed.success) throw new TunebenchError('TB_SCHEMA_INVALID', { what: file, problems: describeZodError(parsed.error) });
  return { file, settings: parsed.data };
}

/** The engine's host settings from the desktop settings; errors name the file and key to edit. */
export function desktopEngineSettings(userDataDir: string): { nodeRuntime: NodeRuntimeSetting; maxConcurrentRuns?: number } {
  const { file, settings } = readDesktopSettings(userDataDir);
  return {
    nodeRuntime: { ...(settings.nodePath !== undefined ? { path: settings.nodePath } : {}), setting: `"nodePath" in ${file}` },
    ...(settings.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: settings.maxConcurrentRuns } : {}),
  };
}
