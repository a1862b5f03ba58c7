// Electron's own install script is denied in package.json `allowScripts`
// because it downloads the binary from outside the npm registry: on an
// offline or restricted machine that download fails and would fail `npm ci`.
// Here we try the same download, but a failure only means the desktop app is
// unavailable; the web host, the CLI and the tests do not need Electron.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronDir = join(process.cwd(), 'node_modules', 'electron');
const say = (line) => process.stdout.write(`tunebench: ${line}\n`);

function binaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!existsSync(electronDir)) {
  // Production install without devDependencies: nothing to do.
} else if (binaryPresent()) {
  say('Electron binary present: the desktop app is available (npm run dev / npm start).');
} else if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  say('ELECTRON_SKIP_BINARY_DOWNLOAD is set: the desktop app is unavailable; the web host (npm run web), the CLI and the tests work.');
} else {
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 180_000,
  });
  if (result.status === 0 && binaryPresent()) {
    say('Electron binary downloaded: the desktop app is available (npm run dev / npm start).');
  } else {
    const reason = (result.stderr?.toString() ?? '').split('\n').find((l) => /Error/.test(l))?.trim() ?? 'download failed';
    say(`the Electron binary could not be downloaded (${reason}).`);
    say('The desktop app is unavailable on this machine; the web host (npm run web), the CLI and the tests work.');
  }
}
