/**
 * The web host as a process: engine, host, the one line saying where to
 * go, and a clean stop on SIGINT/SIGTERM. `npm run web` runs it through
 * web/main.ts; a CLI `serve` command can call it the same way.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../engine/engine.js';
import { onStopSignal, workersDirBeside } from '../host-binding.js';
import { WebHost } from './server.js';

export interface ServeOptions {
  /** import.meta.url of the built entry (out/main/*.js): workers and renderer sit beside it. */
  entryUrl: string;
  dataDir: string;
  port: number;
  /** The --node option: the Node.js subject processes run on; default `node` on PATH. */
  nodePath?: string;
  /** The --max-runs option: runs allowed at once. */
  maxConcurrentRuns?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Starts engine and web host and keeps them until a stop signal; then disposes both and exits 0. */
export async function serveWorkbench(options: ServeOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const rendererDir = path.join(path.dirname(fileURLToPath(options.entryUrl)), '..', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    stderr.write(`tunebench: the renderer is not built (${rendererDir} has no index.html): run npm run build\n`);
  }
  const engine = await Engine.create({
    dataDir: options.dataDir,
    workersDir: workersDirBeside(options.entryUrl),
    host: 'web',
    nodeRuntime: { ...(options.nodePath !== undefined ? { path: options.nodePath } : {}), setting: '--node <path> (web host)' },
    ...(options.maxConcurrentRuns !== undefined ? { maxConcurrentRuns: options.maxConcurrentRuns } : {}),
  });
  for (const warning of engine.warnings) stderr.write(`tunebench: warning: ${warning}\n`);
  const stopLogs = engine.onStream((stream, payload) => {
    if (stream !== 'log') return;
    const entry = payload as { level: string; message: string };
    if (entry.level !== 'info') stderr.write(`tunebench: ${entry.level}: ${entry.message}\n`);
  });
  const host = new WebHost({ engine, rendererDir, port: options.port });
  try {
    const { url } = await host.start();
    stdout.write(`Tunebench is serving at ${url}\n`);
  } catch (error) {
    stopLogs();
    await engine.dispose();
    throw error;
  }
  onStopSignal(async () => {
    stopLogs();
    await host.dispose();
    // Active runs are stopped and saved as stopped before the process leaves.
    await engine.dispose();
    process.exit(0);
  });
}
