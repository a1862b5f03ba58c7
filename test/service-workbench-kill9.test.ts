import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessRunning } from '../src/main/engine/processes/process-info.js';
import { spawnNode, waitForOutput } from './fixtures/built.js';
import { waitUntil } from './fixtures/cluster.js';
import { processTree } from './fixtures/processes.js';
import { exampleOnPort, exampleServices, fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

/**
 * The fault matrix's row for a load run on a service: the service has no IPC
 * channel to the workbench, so its watchdog (the shell leading its process
 * group) must take it down when the workbench is killed: SIGTERM to the
 * group, SIGKILL after the service's stop timeout.
 */
describe('kill -9 of the workbench during a load run on a service', () => {
  const dirs = serviceEngines();

  for (const [what, stubborn] of [
    ['a service that stops on SIGTERM (examples/cpu-pool as 2 node:cluster processes)', false],
    ['a service that ignores SIGTERM', true],
  ] as const) {
    it(`${what}: every process of it is gone soon after`, async () => {
      const dir = await dirs.tempDir();
      const file = stubborn
        ? await writeServicesFile(dir, [
            fixtureService('stubborn', 'ignores-sigterm.mjs', 3982, { ready: { type: 'log', pattern: 'listening', timeoutSec: 10 }, stop: { timeoutSec: 1 } }),
          ])
        : await exampleOnPort(exampleServices.cpuPool, 3981, dir);
      const spec = path.join(dir, 'spec.json');
      await fs.writeFile(
        spec,
        JSON.stringify({
          kind: 'load',
          target: stubborn ? { type: 'service', service: 'stubborn' } : { type: 'service', service: 'cpu-pool', knobs: { processes: 2, threads: 1 } },
          load: { connections: 2, durationSec: 60, warmupSec: 0, mix: [{ path: stubborn ? '/' : '/work?n=18' }] },
        }),
      );
      const { child, finished } = spawnNode(['bin/tunebench.js', 'run', spec, '--services', file], { TUNEBENCH_DATA_DIR: path.join(dir, 'data') });
      await waitForOutput(child, 'stderr', /Running load experiment as \S+/);
      // The service and its processes: everything below the CLI once they all run.
      const expected = stubborn ? 2 : 4;
      let tree: number[] = [];
      let output = '';
      child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
      child.stdout!.on('data', (chunk: Buffer) => (output += String(chunk)));
      await waitUntil(() => (tree = processTree(child.pid!).filter((pid) => pid !== child.pid)).length >= expected + 1, 'the service runs', 20_000).catch((error: Error) => {
        throw new Error(`${error.message}; below the CLI: ${tree.join(', ')}; it wrote: ${output}`);
      });
      // Measure a moment first, so the kill lands mid-run.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      tree = processTree(child.pid!).filter((pid) => pid !== child.pid);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await finished;
      await waitUntil(() => tree.every((pid) => !isProcessRunning(pid)), 'every process of the service has exited', 10_000);
      const goneAfterMs = Date.now() - killedAt;
      console.log(`fault matrix: kill -9 workbench during a load run on ${stubborn ? 'a SIGTERM-ignoring service' : 'a 2-process service'}: ${tree.length} processes gone in ${goneAfterMs} ms`);
      expect(goneAfterMs).toBeLessThan(stubborn ? 4_000 : 3_000);
    }, 40_000);
  }
});
