import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { isAlive, waitUntil } from './fixtures/cluster.js';
import { workersDir } from './fixtures/pools.js';
import { processesNaming, processTree } from './fixtures/processes.js';

/**
 * One wrapper (ManagedChild) and one owner (the engine's ChildRegistry) for
 * every process the engine starts: the phase trace's sandbox, the cluster
 * supervisor, a memory run's sandbox and the embedded PostgreSQL's watchdog
 * are each listed while they run, and disposing the engine leaves none of
 * them, nor anything they started, behind.
 */
let engine: Engine | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  if (dataDir) {
    for (const pid of processesNaming(dataDir)) process.kill(pid, 'SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    dataDir = undefined;
  }
});

test('every child the engine starts is in its child registry while it runs, and none is left after dispose', { timeout: 120_000 }, async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-children-'));
  engine = await Engine.create({ dataDir, workersDir, host: 'test' });
  const children = engine.children;
  const names = () => children.list().map((child) => child.name);
  expect(children.list()).toEqual([]);

  // The phase trace lives for one call: watch the registry while it runs.
  const seenDuringTrace = new Set<string>();
  const watch = setInterval(() => names().forEach((name) => seenDuringTrace.add(name)), 2);
  try {
    await engine.call('runtime.phaseTrace', {});
  } finally {
    clearInterval(watch);
  }
  expect([...seenDuringTrace]).toEqual(['phase trace sandbox']);
  expect(children.list()).toEqual([]);

  await engine.call('cluster.start', { settings: { workers: 1, poolThreads: 1, metricsIntervalMs: 500 } });
  const memoryRun = engine.runs.start({ kind: 'memory', scenario: 'churn', durationSec: 60, probeIntervalMs: 200 });
  await waitUntil(() => names().includes('memory sandbox'), 'the memory run has its sandbox', 20_000);
  await engine.db.resolve('embedded');

  const listed = children.list();
  expect(listed.map((child) => child.name).sort()).toEqual(['cluster supervisor', 'embedded PostgreSQL', 'memory sandbox']);
  for (const child of listed) {
    expect(child.pid, child.name).toBeGreaterThan(0);
    expect(child.processGroup, child.name).toBe(child.pid);
    expect(isAlive(child.pid!), child.name).toBe(true);
  }
  await waitUntil(() => children.list().every((child) => child.state === 'ready'), 'every child is ready', 20_000);
  // Everything below them too: test servers, the postmaster and its backends.
  const everything = [...new Set(listed.flatMap((child) => processTree(child.pid!)))];
  expect(everything.length).toBeGreaterThan(listed.length);

  await engine.dispose();
  expect(children.list()).toEqual([]);
  expect((await memoryRun.done).status).toBe('stopped');
  await waitUntil(() => everything.every((pid) => !isAlive(pid)), 'every process the children started has exited', 10_000);
});
