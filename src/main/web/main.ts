/**
 * Entry of `npm run web` (out/main/web.js): the workbench in a browser tab.
 *   node out/main/web.js [--port <n>] [--node <path>] [--max-runs <n>]   (port: or TUNEBENCH_PORT; default: a free port)
 * Data lives in $TUNEBENCH_DATA_DIR or ~/.tunebench.
 */
import { parseArgs } from 'node:util';
import { commandLinePath, defaultDataDir } from '../host-binding.js';
import { parsePort } from './server.js';
import { serveWorkbench } from './serve.js';

const usage = `Usage: node out/main/web.js [--port <n>] [--node <path>] [--max-runs <n>]

Serves the Tunebench workbench on http://127.0.0.1 and prints the URL to open.
  --port <n>      port to listen on (default: $TUNEBENCH_PORT, else a free port)
  --node <path>   the Node.js that clusters and memory sandboxes run on (default: node on PATH)
  --max-runs <n>  runs allowed at once, 1 to 64 (default 4)
Data directory: $TUNEBENCH_DATA_DIR, else ~/.tunebench
`;

async function main(): Promise<void> {
  let port: number;
  let nodePath: string | undefined;
  let maxConcurrentRuns: number | undefined;
  try {
    const { values } = parseArgs({
      options: { port: { type: 'string' }, node: { type: 'string' }, 'max-runs': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(usage);
      return;
    }
    if (values.port !== undefined) port = parsePort(values.port, '--port');
    else if (process.env.TUNEBENCH_PORT) port = parsePort(process.env.TUNEBENCH_PORT, 'TUNEBENCH_PORT');
    else port = 0;
    if (values.node !== undefined) nodePath = commandLinePath(values.node);
    if (values['max-runs'] !== undefined) maxConcurrentRuns = parseMaxRuns(values['max-runs']);
  } catch (error) {
    process.stderr.write(`tunebench: ${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  await serveWorkbench({
    entryUrl: import.meta.url,
    dataDir: defaultDataDir(),
    port,
    ...(nodePath !== undefined ? { nodePath } : {}),
    ...(maxConcurrentRuns !== undefined ? { maxConcurrentRuns } : {}),
  });
}

function parseMaxRuns(text: string): number {
  if (!/^\d{1,2}$/.test(text) || Number(text) < 1 || Number(text) > 64) {
    throw new Error(`--max-runs must be a whole number from 1 to 64; got "${text}"`);
  }
  return Number(text);
}

main().catch((error: unknown) => {
  process.stderr.write(`tunebench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
