import { describe, expect, it } from 'vitest';
import type { FindingContext, FindingInput, FindingRule } from '../src/main/engine/findings/index.js';
import { mainThreadBusy, queueWaitDominates, threadsOverCores } from '../src/main/engine/findings/pool.js';
import { FindingSchema, type Finding } from '../src/shared/findings.js';
import { engineFactory } from './fixtures/engine.js';
import { event, every, findingInput, m } from './fixtures/finding-inputs.js';

const pool = (parts: Partial<FindingInput> & { threads?: number; concurrency?: number } = {}) => {
  const { threads = 1, concurrency = 8, ...rest } = parts;
  return findingInput('pool', { spec: { kind: 'pool', pool: { threads }, concurrency, jobs: 2_000 }, events: [event(400, 'measure-start')], ...rest });
};

interface Case {
  name: string;
  rule: FindingRule;
  input: FindingInput;
  context?: FindingContext;
  expected: Partial<Finding> | undefined;
}

const cases: Case[] = [
  {
    name: 'queue wait above run time with a core to spare: sweep threads up to the cores',
    rule: queueWaitDominates,
    input: pool({
      environment: { cpuCount: 4 },
      summary: { waitP50: m(25, 'ms'), runP50: m(2, 'ms'), waitP95: m(46, 'ms') },
      series: { waitP50: every(500, [0, 20, 26, 25, 1], 'ms'), runP50: every(500, [2, 2, 2, 2, 2], 'ms') },
    }),
    expected: {
      id: 'pool.queue-wait',
      severity: 'warning',
      title: 'Queue wait dominates: jobs waited 25 ms (p50) for a thread and ran 2 ms (12.5× as long); add threads, up to the 4 cores.',
      range: { fromMs: 500, toMs: 2_000 },
      tryNext: { action: 'sweep', label: 'Sweep threads over 1, 2, 4', axis: { path: 'pool.threads', values: [1, 2, 4] } },
    },
  },
  {
    name: 'queue wait above run time with a thread per core: a note, sweep the jobs in flight',
    rule: queueWaitDominates,
    input: pool({ threads: 2, concurrency: 8, summary: { waitP50: m(12, 'ms'), runP50: m(4, 'ms') } }),
    expected: {
      id: 'pool.queue-wait',
      severity: 'info',
      tryNext: { action: 'sweep', label: 'Sweep jobs in flight over 2, 4, 8', axis: { path: 'concurrency', values: [2, 4, 8] } },
    },
  },
  { name: 'queue wait under run time says nothing', rule: queueWaitDominates, input: pool({ summary: { waitP50: m(1.5, 'ms'), runP50: m(4, 'ms') } }), expected: undefined },
  { name: 'a wait of a fraction of a millisecond says nothing', rule: queueWaitDominates, input: pool({ summary: { waitP50: m(0.4, 'ms'), runP50: m(0.01, 'ms') } }), expected: undefined },
  {
    name: 'no queue (as many in flight as threads) says nothing, whatever the wait',
    rule: queueWaitDominates,
    input: pool({ threads: 4, concurrency: 4, summary: { waitP50: m(1.2, 'ms'), runP50: m(1, 'ms') } }),
    expected: undefined,
  },
  {
    name: 'live, nothing before the measured window begins',
    rule: queueWaitDominates,
    input: pool({ events: [], summary: { waitP50: m(25, 'ms'), runP50: m(2, 'ms') } }),
    context: { live: true },
    expected: undefined,
  },
  {
    name: 'more threads than cores: sweep down to the cores',
    rule: threadsOverCores,
    input: pool({ threads: 8, environment: { cpuCount: 4 }, summary: { utilisation: m(48, 'percent') } }),
    expected: {
      id: 'pool.threads-over-cores',
      severity: 'warning',
      title: 'More threads (8) than cores (4): the threads take turns on the cores, which adds switching and memory, not throughput.',
      tryNext: { action: 'sweep', label: 'Sweep threads over 2, 4, 8', axis: { path: 'pool.threads', values: [2, 4, 8] } },
    },
  },
  { name: 'a thread per core says nothing', rule: threadsOverCores, input: pool({ threads: 2 }), expected: undefined },
  {
    name: 'a busy main thread handing out tiny jobs: the messages cost more than the work',
    rule: mainThreadBusy,
    input: pool({
      summary: { elu: m(91, 'percent'), eldP99: m(37, 'ms'), throughput: m(14_500, 'jobs/s'), runP50: m(0, 'ms') },
      series: { elu: every(500, [20, 90, 92, 91], 'percent') },
    }),
    expected: {
      id: 'pool.main-thread-busy',
      severity: 'warning',
      title: expect.stringMatching(/what blocks it: handing out 14,500 jobs a second of under a microsecond each: the messages cost more than the work/) as unknown as string,
      range: { fromMs: 500, toMs: 2_000 },
    },
  },
  {
    name: 'late timers on the main thread with GC in the workbench',
    rule: mainThreadBusy,
    input: pool({
      summary: { elu: m(40, 'percent'), eldP99: m(250, 'ms'), throughput: m(300, 'jobs/s'), runP50: m(3, 'ms') },
      series: { 'engine.gc.pauseMs': every(1_000, [150, 200, 180], 'ms') },
    }),
    expected: { id: 'pool.main-thread-busy', severity: 'problem', title: expect.stringMatching(/what blocks it: garbage collection in the workbench took 17\.7% of its time/) as unknown as string },
  },
  {
    name: 'a main thread at ease says nothing',
    rule: mainThreadBusy,
    input: pool({ summary: { elu: m(9, 'percent'), eldP99: m(13, 'ms'), throughput: m(270, 'jobs/s'), runP50: m(2, 'ms') } }),
    expected: undefined,
  },
];

describe('pool findings', () => {
  it.each(cases)('$name', ({ rule, input, context, expected }) => {
    const found = rule(input, context ?? { live: false });
    const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
    if (expected === undefined) {
      expect(list).toEqual([]);
      return;
    }
    expect(list).toHaveLength(1);
    expect(FindingSchema.parse(list[0])).toMatchObject(expected);
  });

  const engines = engineFactory();

  it('a real run with eight jobs in flight on one thread finds queue wait dominating, in its record and live', async () => {
    const engine = await engines.open(await engines.tempDir());
    const frames: Finding[][] = [];
    engine.onStream((stream, payload) => {
      const frame = payload as { findings?: Finding[] };
      if (stream === 'run.frame' && frame.findings) frames.push(frame.findings);
    });
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'pool', task: { name: 'spin', params: { ms: 4 } }, pool: { implementation: 'simple', threads: 1, maxQueue: 100 }, jobs: 900, concurrency: 8, warmupSec: 0.2 },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.status, record.error?.message).toBe('completed');
    const queue = record.findings?.find((finding) => finding.id === 'pool.queue-wait');
    expect(queue, JSON.stringify(record.findings)).toBeDefined();
    expect(queue!.evidence).toContainEqual({ label: 'threads', value: 1, unit: 'count' });
    expect(queue!.range!.fromMs).toBeGreaterThanOrEqual(record.events.find((e) => e.type === 'measure-start')!.t - 300);
    // Live too, once the run had gone two seconds.
    expect(frames.some((findings) => findings.some((finding) => finding.id === 'pool.queue-wait'))).toBe(true);
    // The saved record reads back with them.
    const { run } = await engine.call('runs.get', { runId });
    expect(run.findings).toEqual(record.findings);
  });

  it('a real run with as many jobs in flight as threads finds no queue', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'pool', task: { name: 'spin', params: { ms: 4 } }, pool: { implementation: 'simple', threads: 1, maxQueue: 100 }, jobs: 300, concurrency: 1, warmupSec: 0.2 },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.findings?.map((finding) => finding.id)).not.toContain('pool.queue-wait');
    expect(record.findings).toBeDefined();
  });
});
