/**
 * The memory sandbox: a child process (on the user's node) that runs one
 * memory scenario under the runtime probe. The engine talks to it over the IPC
 * channel; it exits as soon as it loses its parent. The same file is the entry
 * of the oom-worker scenario's worker threads.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { defaultObjectSizeBytes, SandboxStartSchema } from '../../shared/specs/memory.js';
import type { SandboxMessage, SandboxStart } from '../../shared/specs/memory.js';
import { ipcChannel, PROBE_INTERVAL_ENV, serveProbe } from '../../node/probe/serve.js';
import { JOB_WORKER_ROLE, runJobWorker, SandboxPool } from './sandbox-pool.js';
import { tracePhases } from './phase-trace.js';
import { startHeartbeat, startScenario } from './scenarios.js';

function post(message: SandboxMessage): void {
  if (process.connected) process.send?.(message);
}

async function runScenario(start: SandboxStart): Promise<Record<string, number>> {
  const sizeBytes = start.objectSizeBytes || defaultObjectSizeBytes[start.scenario];
  const durationMs = start.durationSec * 1_000;
  const stopHeartbeat = startHeartbeat((t, v) => post({ type: 'sandbox.heartbeat', t, v }));
  try {
    return await runFor(start, sizeBytes, durationMs);
  } finally {
    stopHeartbeat();
  }
}

async function runFor(start: SandboxStart, sizeBytes: number, durationMs: number): Promise<Record<string, number>> {
  if (start.scenario === 'oom-worker' || start.scenario === 'cpu-pool') {
    const pool = new SandboxPool(new URL(import.meta.url), start, (event, message, data) =>
      post({ type: 'sandbox.event', event, message, data }),
    );
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    return pool.stop();
  }
  const run = startScenario(start, sizeBytes);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  return run.stop();
}

function main(): void {
  if (typeof process.send !== 'function') {
    console.error('memory-sandbox must be started by Tunebench with an IPC channel');
    process.exit(2);
  }
  // Losing the parent means nobody will ever stop us: leave at once, never linger as an orphan.
  process.on('disconnect', () => process.exit(0));
  const intervalMs = Number(process.env[PROBE_INTERVAL_ENV] ?? 1_000);
  const stopProbe = serveProbe(ipcChannel(), { intervalMs });
  let started = false;
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown })?.type === 'sandbox.trace') {
      void tracePhases(fileURLToPath(import.meta.url)).then((steps) => post({ type: 'sandbox.trace', steps }));
      return;
    }
    if ((message as { type?: unknown })?.type === 'sandbox.stop') {
      stopProbe();
      // Give the last probe batch a moment to leave before the channel closes.
      setTimeout(() => process.exit(0), 50);
      return;
    }
    const parsed = SandboxStartSchema.safeParse(message);
    if (!parsed.success || started) return;
    started = true;
    runScenario(parsed.data).then(
      (stats) => post({ type: 'sandbox.done', stats }),
      (error: unknown) => post({ type: 'sandbox.error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  post({ type: 'sandbox.ready', pid: process.pid, node: process.versions.node });
}

if (isMainThread) main();
else if ((workerData as { role?: string } | undefined)?.role === JOB_WORKER_ROLE && parentPort) runJobWorker(parentPort);
