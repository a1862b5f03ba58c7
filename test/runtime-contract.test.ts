import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';

let engine: Engine;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-runtime-'));
  engine = await Engine.create({ dataDir, workersDir: process.env.TUNEBENCH_WORKERS_DIR!, host: 'test', validateResponses: true });
});
afterAll(async () => {
  await engine?.dispose();
  await fs.rm(dataDir, { recursive: true, force: true });
});

test('the runtime calls list the engine process, profile it, and name a process that does not exist', async () => {
  const { processes } = await engine.call('runtime.processes', {});
  expect(processes.find((process) => process.id === 'engine')?.pid).toBe(process.pid);

  const profile = await engine.call('runtime.cpuProfile', { processId: 'engine', seconds: 0.3 });
  expect(profile.samples).toBeGreaterThan(0);
  expect(profile.path.startsWith(path.join(dataDir, 'runtime'))).toBe(true);
  expect((await fs.stat(profile.path)).size).toBe(profile.artifact.bytes);

  await expect(engine.call('runtime.heapSnapshot', { processId: 'nope' })).rejects.toThrow(/No process "nope" to inspect/);
  await expect(engine.call('runtime.cpuProfile', { processId: 'engine', seconds: 0 })).rejects.toMatchObject({
    code: 'TB_INVALID_PAYLOAD',
  });
  await expect(engine.call('runtime.gc', { processId: 'engine' })).rejects.toThrow(/--expose-gc/);
});

test('a memory run started through the contract is saved with its leak verdict and probe series', async () => {
  const { runId } = await engine.call('runs.start', {
    spec: { kind: 'memory', scenario: 'churn', durationSec: 2, rate: 5_000, probeIntervalMs: 250, leakRule: { warmupSec: 0, sustainSec: 1 } },
  });
  const runIdsInspectable = async () => (await engine.call('runtime.processes', {})).processes.map((process) => process.runId);
  let listed = await runIdsInspectable();
  // Up to 15 s for the sandbox to start and register: a busy machine starts a Node process slowly; the scenario lasts 2 s after that.
  for (let tries = 0; !listed.includes(runId) && tries < 750; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    listed = await runIdsInspectable();
  }
  const record = await engine.runs.wait(runId)!;
  expect(record.status).toBe('completed');
  expect(record.summary['leak.flagged']).toBeDefined();
  expect(record.series['heap.old']!.v.length).toBeGreaterThan(3);
  expect(record.events.some((event) => event.type === 'gc')).toBe(true);
  // While it ran, its sandbox was inspectable; now it is gone.
  expect(listed).toContain(runId);
  expect(await runIdsInspectable()).not.toContain(runId);
});
