/**
 * The CLI's process entry, built as out/main/cli.js and run through
 * bin/tunebench.js: runs `main` on the process's arguments and streams.
 * Everything else is in cli.ts, which runs nothing when imported.
 */
import { main } from './cli.js';
import { workersDirBeside } from './host-binding.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  workersDir: workersDirBeside(import.meta.url),
});
