#!/usr/bin/env node
// The package's `tunebench` command. out/main/cli.js is the CLI's process entry (built from
// src/main/cli-entry.ts): importing it runs main() on this process's arguments and streams.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('Tunebench is not built yet: run npm run build\n');
  process.exit(1);
}
await import(cli.href);
