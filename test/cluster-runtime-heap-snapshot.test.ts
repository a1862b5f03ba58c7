import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

describe('looking inside a test server', () => {
  const engines = engineFactory();

  it('takes a heap snapshot of a test-server worker through the supervisor: a valid .heapsnapshot in the runtime folder', async () => {
    const dataDir = await engines.tempDir();
    const engine = await engines.open(dataDir);
    const status = await engine.call('cluster.start', { settings: { workers: 2, metricsIntervalMs: 500, poolThreads: 1 } });
    const pid = status.workers.find((worker) => worker.slot === 1)!.pid!;
    const { processes } = await engine.call('runtime.processes', {});
    const server = processes.find((process) => process.pid === pid)!;
    expect(server.label).toBe(`test server 1 (pid ${pid})`);

    const taken = await engine.call('runtime.heapSnapshot', { processId: server.id });
    expect(taken.path.endsWith('.heapsnapshot')).toBe(true);
    expect(path.dirname(taken.path)).toBe(path.join(dataDir, 'runtime'));
    expect((await fs.stat(taken.path)).size).toBe(taken.artifact.bytes);
    const json = JSON.parse(await fs.readFile(taken.path, 'utf8'));
    expect(json.snapshot.meta.node_fields).toContain('self_size');
    expect(json.nodes.length).toBeGreaterThan(0);
    expect(taken.summary.top.length).toBeGreaterThan(0);

    // Once the cluster is gone, so is the process to inspect.
    await engine.call('cluster.stop', {});
    await expect(engine.call('runtime.heapSnapshot', { processId: server.id })).rejects.toThrow(/No process/);
  });
});
