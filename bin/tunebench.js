#!/usr/bin/env node
// The package's `tunebench` command: the CLI itself is built TypeScript in out/main/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('Tunebench is not built yet: run npm run build\n');
  process.exit(1);
}
await import(cli.href);
