import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema } from '../src/shared/specs/cluster.js';
import { clusterFactory, isAlive, waitUntil } from './fixtures/cluster.js';
import { workersDir } from './fixtures/pools.js';

const fakeWorkbench = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-workbench.mjs');

describe('no orphaned processes', () => {
  const clusters = clusterFactory();

  it('workers exit by themselves when their supervisor is killed with SIGKILL', async () => {
    const cluster = await clusters.start({ workers: 2 });
    await waitUntil(() => cluster.workers.length === 2 && cluster.workers.every((w) => w.pid), 'worker pids reported');
    const workerPids = cluster.workers.map((w) => w.pid!);
    process.kill(cluster.supervisorPid!, 'SIGKILL');
    await waitUntil(() => workerPids.every((pid) => !isAlive(pid)), 'every worker has exited');
  });

  it('the supervisor and its workers exit when the workbench process is killed with SIGKILL', async () => {
    const settings = ClusterSettingsSchema.parse({ workers: 2, metricsIntervalMs: 200, poolThreads: 1 });
    const workbench = spawn(process.execPath, [fakeWorkbench, workersDir, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<{ supervisor: number; workers: number[] }>((resolve, reject) => {
      let buffered = '';
      workbench.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const line = buffered.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      workbench.once('exit', () => reject(new Error('the fake workbench exited early')));
    });
    workbench.kill('SIGKILL');
    const all = [pids.supervisor, ...pids.workers];
    await waitUntil(() => all.every((pid) => !isAlive(pid)), 'supervisor and workers have exited');
    expect(all).toHaveLength(3);
  });

  it('disposing the registry kills every child group', async () => {
    const cluster = await clusters.start({ workers: 1 });
    await waitUntil(() => !!cluster.workers[0]?.pid, 'worker pid reported');
    const pids = [cluster.supervisorPid!, cluster.workers[0]!.pid!];
    await clusters.registry().dispose();
    expect(clusters.registry().list()).toEqual([]);
    // SIGKILL is delivered to the whole group at once; the orphaned worker may take a moment to be reaped.
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 'supervisor and worker have exited', 2_000);
  });
});
