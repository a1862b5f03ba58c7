import { expect, test } from 'vitest';
import { recordPhaseTrace } from '../src/main/engine/runtime/phase-trace.js';
import { ChildRegistry } from '../src/main/engine/processes/child-registry.js';
import { NodeRuntimeResolver } from '../src/main/engine/processes/node-runtime.js';
import { runMemoryScenario, workersDir } from './runtime-helpers.js';

test('the same CPU task blocks the heartbeat on the main thread and not when offloaded to the pool', async () => {
  const settings = { durationSec: 3, rate: 10, taskMs: 80, probeIntervalMs: 250 } as const;
  // One after the other: run together on a small machine they would compete for the same cores.
  const main = await runMemoryScenario({ scenario: 'cpu-main', ...settings });
  const pool = await runMemoryScenario({ scenario: 'cpu-pool', ...settings });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  try {
    expect(main.result.error).toBeUndefined();
    expect(pool.result.error).toBeUndefined();
    expect(main.result.summary['scenario.tasks']!.value).toBeGreaterThanOrEqual(20);
    expect(pool.result.summary['scenario.completed']!.value).toBeGreaterThanOrEqual(20);
    // An 80 ms task on the loop makes a 50 ms timer late; off the loop it does not.
    expect(main.result.summary.maxHeartbeatLateMs!.value).toBeGreaterThan(40);
    expect(main.record.series.heartbeatLateMs!.v.length).toBeGreaterThan(10);
    // Typical lateness, not the worst tick: a busy machine can delay any single timer.
    const mainLate = median(main.record.series.heartbeatLateMs!.v);
    const poolLate = median(pool.record.series.heartbeatLateMs!.v);
    expect(mainLate).toBeGreaterThan(20);
    // Twice, not more: two spinning pool threads and other processes on two cores make the pool side's timer late too.
    expect(mainLate).toBeGreaterThan(2 * poolLate + 5);
  } finally {
    main.cleanup();
    pool.cleanup();
  }
});

test('the phase trace records nextTick, promises, immediates and timers in Node order', async () => {
  const children = new ChildRegistry();
  const steps = await recordPhaseTrace(children, workersDir, new NodeRuntimeResolver().resolve()).finally(() => children.dispose());
  const order = steps.map((step) => step.label);
  const index = (label: string) => order.indexOf(label);
  expect(order[0]).toBe('main script runs to the end first');
  expect(index('main script: last synchronous line')).toBe(1);
  expect(index('process.nextTick from the main script')).toBeLessThan(index('promise .then from the main script'));
  // Inside an I/O callback the order is fixed: nextTick, promise, immediate, then the 0 ms timer.
  expect(index('process.nextTick inside the I/O callback')).toBeLessThan(index('promise .then inside the I/O callback'));
  expect(index('promise .then inside the I/O callback')).toBeLessThan(index('setImmediate scheduled inside the I/O callback'));
  expect(index('setImmediate scheduled inside the I/O callback')).toBeLessThan(index('setTimeout(0) scheduled inside the I/O callback'));
  expect(steps).toHaveLength(11);
});
