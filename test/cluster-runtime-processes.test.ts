import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/main/engine/engine.js';
import type { RuntimeSubjectInfo } from '../src/shared/runtime.js';
import { engineFactory } from './fixtures/engine.js';

async function processesUntil(engine: Engine, done: (processes: RuntimeSubjectInfo[]) => boolean): Promise<RuntimeSubjectInfo[]> {
  for (let tries = 0; tries < 200; tries++) {
    const { processes } = await engine.call('runtime.processes', {});
    if (done(processes)) return processes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the inspectable processes never matched');
}

describe('a standing cluster in the inspectable processes', () => {
  const engines = engineFactory();

  it('lists the supervisor and each test server while it runs, follows a replaced worker, and drops them on stop', async () => {
    const engine = await engines.open(await engines.tempDir());
    const status = await engine.call('cluster.start', {
      settings: { workers: 2, metricsIntervalMs: 200, poolThreads: 1, probeIntervalMs: 200 },
    });
    const pidOf = (slot: number) => status.workers.find((worker) => worker.slot === slot)!.pid!;
    const clusterProcesses = (processes: RuntimeSubjectInfo[]) => processes.filter((process) => process.id.startsWith('cluster-'));

    // Heap numbers come from each process's probe, the test servers' relayed by the supervisor.
    const listed = clusterProcesses(
      await processesUntil(engine, (processes) => clusterProcesses(processes).filter((process) => process.heapUsed! > 0).length === 3),
    );
    expect(listed.map((process) => process.label).sort()).toEqual([
      `cluster supervisor (pid ${status.supervisorPid})`,
      `test server 0 (pid ${pidOf(0)})`,
      `test server 1 (pid ${pidOf(1)})`,
    ]);

    await engine.call('cluster.fault', { fault: { action: 'kill', slot: 0 } });
    const after = clusterProcesses(
      await processesUntil(engine, (processes) =>
        processes.some((process) => process.label.startsWith('test server 0 ') && process.pid !== pidOf(0)),
      ),
    );
    expect(after.filter((process) => process.label.startsWith('test server 0 '))).toHaveLength(1);

    await engine.call('cluster.stop', {});
    expect(clusterProcesses((await engine.call('runtime.processes', {})).processes)).toEqual([]);
  });
});
