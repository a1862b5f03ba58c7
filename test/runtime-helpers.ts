import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemorySpecSchema } from '../src/shared/specs/memory.js';
import type { MemorySpecInput } from '../src/shared/specs/memory.js';
import type { KindResult } from '../src/main/engine/kinds/kind.js';
import { ChildRegistry } from '../src/main/engine/processes/child-registry.js';
import { NodeRuntimeResolver } from '../src/main/engine/processes/node-runtime.js';
import { RunRecorder } from '../src/main/engine/recorder.js';
import { createMemoryKind } from '../src/main/engine/kinds/memory/memory-kind.js';
import { RuntimeSubjects } from '../src/main/engine/runtime/subjects.js';

export const workersDir = process.env.TUNEBENCH_WORKERS_DIR ?? path.resolve('out/main/workers');

/** Runs one memory scenario through the real kind (sandbox process, probe, detector) and returns what it recorded. */
export async function runMemoryScenario(
  input: Omit<MemorySpecInput, 'kind'>,
  /** Runs alongside the scenario; when it settles the run is stopped (as the Stop button does). */
  during?: (registry: RuntimeSubjects, runId: string) => Promise<void>,
): Promise<{ result: KindResult; record: ReturnType<RunRecorder['snapshot']>; runDir: string; cleanup: () => void }> {
  const spec = MemorySpecSchema.parse({ kind: 'memory', ...input });
  const registry = new RuntimeSubjects();
  const children = new ChildRegistry();
  const kind = createMemoryKind(children, registry);
  const runId = `test-${Math.random().toString(36).slice(2, 8)}`;
  const base = mkdtempSync(path.join(os.tmpdir(), 'tb-runtime-'));
  const runDir = path.join(base, runId);
  const recorder = new RunRecorder(runId, () => {});
  recorder.start();
  const controller = new AbortController();
  const running = kind.run(spec, recorder, controller.signal, { runId, runDir, workersDir, nodeRuntime: new NodeRuntimeResolver() });
  if (during) {
    try {
      await during(registry, runId);
    } finally {
      controller.abort();
    }
  }
  const result = await running.finally(() => children.dispose());
  recorder.finish();
  return { result, record: recorder.snapshot(), runDir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Waits until a run's sandbox is registered for inspection and returns its id. */
export async function sandboxOf(registry: RuntimeSubjects, runId: string, timeoutMs = 15_000): Promise<string> {
  const id = `${runId}:sandbox`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (registry.list().some((subject) => subject.id === id)) return id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sandbox of ${runId} never registered`);
}

export const quickLeakRule = { windowSec: 60, minGrowthMbPerMin: 1, minR2: 0.8, sustainSec: 6, minPoints: 3, warmupSec: 2 };
