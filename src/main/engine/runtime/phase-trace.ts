import type { PhaseStep } from '../../../shared/specs/memory.js';
import { spawnSandbox, stopSandbox } from '../kinds/memory/sandbox-child.js';
import type { ChildRegistry } from '../processes/child-registry.js';
import type { NodeRuntime } from '../processes/node-runtime.js';

const TRACE_TIMEOUT_MS = 10_000;

/** Records the event-loop phase order in a fresh sandbox process (so nothing else of the engine's runs in between). */
export async function recordPhaseTrace(children: ChildRegistry, workersDir: string, runtime: NodeRuntime): Promise<PhaseStep[]> {
  const sandbox = spawnSandbox(children, workersDir, runtime, { name: 'phase trace sandbox' });
  try {
    await sandbox.ready;
    const steps = sandbox.waitFor((message) => (message.type === 'sandbox.trace' ? message.steps : undefined), TRACE_TIMEOUT_MS, 'phase trace');
    sandbox.send({ type: 'sandbox.trace' });
    return await steps;
  } finally {
    await stopSandbox(sandbox);
  }
}
