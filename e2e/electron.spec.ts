import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron } from '@playwright/test';
import { expect, test } from './fixtures.js';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** The Electron binary's path, or why there is none (its download is blocked here). */
function findElectron(): { binary: string } | { reason: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary !== 'string') return { reason: 'require("electron") did not return a path' };
    return existsSync(binary) ? { binary } : { reason: `${binary} does not exist` };
  } catch (error) {
    return { reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

const electronBinary = findElectron();
if ('reason' in electronBinary) console.log(`Electron binary not installed: ${electronBinary.reason}`);

test('the desktop app opens on the Pool page and completes a short run', async () => {
  test.skip('reason' in electronBinary, 'reason' in electronBinary ? `Electron binary not installed: ${electronBinary.reason}` : '');
  const scratch = await mkdtemp(path.join(tmpdir(), 'tunebench-electron-'));
  const app = await electron.launch({
    executablePath: (electronBinary as { binary: string }).binary,
    args: [path.join(repoRoot, 'out/main/index.js'), `--user-data-dir=${path.join(scratch, 'user-data')}`, '--no-sandbox'],
    env: { ...process.env, TUNEBENCH_DATA_DIR: path.join(scratch, 'data') },
  });
  try {
    const window = await app.firstWindow();
    // Served by the app scheme's handler, never from file://.
    expect(window.url()).toMatch(/^tunebench:\/\/app\/index\.html(#.*)?$/);
    await window.getByRole('link', { name: 'Pool' }).click();
    await expect(window.getByRole('heading', { name: 'Pool', level: 1 })).toBeVisible();
    await window.getByLabel('Task').selectOption('spin');
    await window.getByLabel('Milliseconds').fill('2');
    await window.getByLabel('Jobs', { exact: true }).fill('50');
    await window.getByRole('button', { name: 'Run' }).click();
    await expect(window.getByRole('link', { name: 'Open saved run' })).toBeVisible({ timeout: 30_000 });
    await expect(window.getByRole('table', { name: 'Summary', exact: true })).toBeVisible();
  } finally {
    await app.close();
    await rm(scratch, { recursive: true, force: true });
  }
});
