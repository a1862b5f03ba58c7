import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { isProcessRunning } from '../src/main/engine/processes/process-info.js';
import { waitUntil } from './fixtures/cluster.js';
import { processTree } from './fixtures/processes.js';

let engine: Engine | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await engine?.dispose();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('kill -9 of the cluster supervisor during a load run', () => {
  it('ends the run clearly, with what it measured, and leaves no test server behind', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-fault-supervisor-'));
    engine = await Engine.create({ dataDir, workersDir: process.env.TUNEBENCH_WORKERS_DIR!, host: 'test' });
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'load', target: { type: 'cluster', cluster: { workers: 2 } }, load: { mode: 'closed', connections: 4, durationSec: 30, warmupSec: 0 }, sampleIntervalMs: 250 },
    });
    await waitUntil(() => engine!.children.list().some((child) => child.state === 'ready' && child.pid !== undefined), 'the supervisor runs', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const supervisor = engine.children.list().find((child) => child.pid !== undefined)!;
    const servers = processTree(supervisor.pid!).filter((pid) => pid !== supervisor.pid);
    expect(servers.length).toBeGreaterThanOrEqual(2);
    const killedAt = Date.now();
    process.kill(supervisor.pid!, 'SIGKILL');

    const record = (await engine.runs.wait(runId))!;
    console.log(`fault matrix: kill -9 supervisor during load: run ended ${record.status} ${Date.now() - killedAt} ms later: ${record.error?.message}`);
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/supervisor/i);
    expect(record.summary.requests?.value ?? 0).toBeGreaterThan(0);
    await waitUntil(() => servers.every((pid) => !isProcessRunning(pid)), 'the test servers have exited', 5_000);
  });
});
