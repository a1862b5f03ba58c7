import { expect, test } from 'vitest';
import { runMemoryScenario } from './runtime-helpers.js';

test('a worker thread that runs out of heap is replaced, its job fails and no other job is lost', async () => {
  const { result, record, cleanup } = await runMemoryScenario({
    scenario: 'oom-worker',
    durationSec: 3,
    rate: 20,
    hogEvery: 10,
    workerHeapMb: 16,
    probeIntervalMs: 500,
  });
  try {
    expect(result.error).toBeUndefined();
    const stat = (name: string) => result.summary[`scenario.${name}`]!.value;
    const hogs = Math.floor(stat('submitted') / 10);
    expect(hogs).toBeGreaterThanOrEqual(3);
    expect(stat('outOfMemory')).toBe(hogs);
    expect(stat('failed')).toBe(hogs);
    expect(stat('replaced')).toBe(hogs);
    expect(stat('completed')).toBe(stat('submitted') - hogs);
    expect(stat('lost')).toBe(0);
    const failures = record.events.filter((event) => event.type === 'job-failed');
    expect(failures).toHaveLength(hogs);
    expect(failures.every((event) => event.data?.code === 'ERR_WORKER_OUT_OF_MEMORY')).toBe(true);
    expect(record.events.filter((event) => event.type === 'worker-replaced')).toHaveLength(hogs);
  } finally {
    cleanup();
  }
});
