import type { PhaseStep } from '../../../shared/specs/memory.js';
import { parseSandbox, sandboxEntry, waitForReady } from '../kinds/memory/memory-kind.js';
import type { NodeRuntime } from '../processes/node-runtime.js';
import { SubjectProcess } from './subject-process.js';

const TRACE_TIMEOUT_MS = 10_000;

/** Records the event-loop phase order in a fresh sandbox process (so nothing else of the engine's runs in between). */
export async function recordPhaseTrace(workersDir: string, runtime: NodeRuntime): Promise<PhaseStep[]> {
  const sandbox = new SubjectProcess({ modulePath: sandboxEntry(workersDir), runtime });
  try {
    await waitForReady(sandbox);
    const steps = sandbox.waitFor(
      (message) => {
        const parsed = parseSandbox(message);
        return parsed?.type === 'sandbox.trace' ? parsed.steps : undefined;
      },
      TRACE_TIMEOUT_MS,
      'phase trace',
    );
    sandbox.channel.send({ type: 'sandbox.trace' });
    return await steps;
  } finally {
    await sandbox.dispose();
  }
}
