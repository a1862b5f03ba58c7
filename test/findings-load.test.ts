import { describe, expect, it } from 'vitest';
import type { FindingContext, FindingInput, FindingRule } from '../src/main/engine/findings/index.js';
import { delaySpikesWithGc, errorsByKind, limitedBy, workerImbalance } from '../src/main/engine/findings/load.js';
import { FindingSchema, type Finding } from '../src/shared/findings.js';
import { engineFactory } from './fixtures/engine.js';
import { event, every, findingInput, m } from './fixtures/finding-inputs.js';

const clusterSpec = (cluster: Record<string, unknown> = {}, load: Record<string, unknown> = {}) => ({
  kind: 'load',
  target: { type: 'cluster', cluster: { workers: 2, scheduling: 'round-robin', ...cluster } },
  load: { mode: 'closed', connections: 8, durationSec: 10, ...load },
});
const load = ({ events = [], ...parts }: Partial<FindingInput> = {}) =>
  findingInput('load', { spec: clusterSpec(), ...parts, events: [event(1_000, 'measure-start'), ...events] });
const gc = (at: number, duration: number, slot: number) => event(at, 'gc', { kind: 'major', duration, at, process: `worker.${slot}` });

interface Case {
  name: string;
  rule: FindingRule;
  input: FindingInput;
  context?: FindingContext;
  /** Each finding expected, partly. */
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'server-limited: a note, and a sweep of workers while there are cores to spare',
    rule: limitedBy,
    input: load({
      environment: { cpuCount: 4 },
      summary: { 'server.limited': m(1), throughput: m(900, 'req/s'), 'latency.p99': m(80, 'ms') },
      events: [event(11_000, 'server-limited', { reasons: ['response time grew from 2 ms to 40 ms'] })],
    }),
    expected: [
      {
        id: 'load.server-limited',
        severity: 'info',
        title: 'The server limited the run: response time grew from 2 ms to 40 ms; its throughput, not the load, is what was measured.',
        range: { fromMs: 1_000, toMs: 11_000 },
        tryNext: { action: 'sweep', label: 'Sweep workers over 2, 4', axis: { path: 'target.cluster.workers', values: [2, 4] } },
      },
    ],
  },
  {
    name: 'connection-limited: sweep connections up',
    rule: limitedBy,
    input: load({ summary: { 'connections.limited': m(1), 'connectionWait.p90': m(30, 'ms'), 'response.p50': m(2, 'ms') } }),
    expected: [{ id: 'load.connection-limited', severity: 'warning', tryNext: { action: 'sweep', label: 'Sweep connections over 8, 16, 32', axis: { path: 'load.connections', values: [8, 16, 32] } } }],
  },
  {
    name: 'generator-limited at a rate: a problem, rerun at a rate it can send',
    rule: limitedBy,
    input: load({
      spec: clusterSpec({}, { mode: 'open', rate: 20_000 }),
      summary: { 'generator.limited': m(1), throughput: m(10_000, 'req/s'), 'generator.utilization': m(99, 'percent') },
      events: [event(11_000, 'generator-limited', { reasons: ['the generator thread was busy 99% of the time'] })],
    }),
    expected: [{ id: 'load.generator-limited', severity: 'problem', tryNext: { action: 'rerun', label: 'Rerun at 8,000 req/s', patch: { 'load.rate': 8_000 } } }],
  },
  {
    name: 'two causes, two findings',
    rule: limitedBy,
    input: load({ summary: { 'server.limited': m(1), 'generator.limited': m(1) } }),
    expected: [{ id: 'load.server-limited' }, { id: 'load.generator-limited' }],
  },
  { name: 'not limited says nothing', rule: limitedBy, input: load({ summary: { 'server.limited': m(0), 'connections.limited': m(0), 'generator.limited': m(0) } }), expected: [] },
  { name: 'live, the limit is not judged before the end', rule: limitedBy, input: load({ summary: { 'server.limited': m(1) } }), context: { live: true }, expected: [] },
  {
    name: 'one worker takes most requests after a restart: keep-alive connections stay on the survivor',
    rule: workerImbalance,
    input: load({
      summary: { 'worker.0.requests': m(300), 'worker.1.requests': m(26_000) },
      events: [event(1_500, 'fault', { action: 'kill', slot: 0 }), event(1_530, 'worker-exit', { slot: 0 }), event(1_650, 'restart', { slot: 0 })],
    }),
    expected: [
      {
        id: 'load.worker-imbalance',
        severity: 'warning',
        title: 'Worker 1 took 98.9% of the requests (1.98× its fair share): after worker 0 restarted, the keep-alive connections stayed pinned to the workers that survived.',
        range: { fromMs: 1_530, toMs: 1_650 },
      },
    ],
  },
  {
    name: 'one worker takes most requests without a restart: round-robin imbalance, sweep the scheduling',
    rule: workerImbalance,
    input: load({ summary: { 'worker.0.requests': m(1_000), 'worker.1.requests': m(3_000) } }),
    expected: [{ id: 'load.worker-imbalance', tryNext: { action: 'sweep', label: 'Sweep scheduling over round-robin, os', axis: { path: 'target.cluster.scheduling', values: ['round-robin', 'os'] } } }],
  },
  {
    name: 'live, shares come from the per-worker request rates',
    rule: workerImbalance,
    input: load({ series: { 'worker.0.rps': every(1_000, [100, 100, 100], 'req/s'), 'worker.1.rps': every(1_000, [900, 900, 900], 'req/s') } }),
    context: { live: true },
    expected: [{ id: 'load.worker-imbalance' }],
  },
  { name: 'an even spread says nothing', rule: workerImbalance, input: load({ summary: { 'worker.0.requests': m(1_000), 'worker.1.requests': m(1_100) } }), expected: [] },
  { name: 'a single worker says nothing', rule: workerImbalance, input: load({ summary: { 'worker.0.requests': m(1_000) } }), expected: [] },
  {
    name: 'event-loop delay spikes that line up with GC pauses',
    rule: delaySpikesWithGc,
    input: load({
      series: { 'worker.0.eld': every(1_000, [3, 4, 60, 3, 4, 80, 3, 70, 4], 'ms'), 'worker.1.eld': every(1_000, [3, 3, 4, 3, 3, 4, 3, 3, 3], 'ms') },
      events: [gc(2_600, 45, 0), gc(5_700, 60, 0), gc(7_500, 50, 0), gc(4_500, 40, 1)],
    }),
    expected: [
      {
        id: 'load.delay-spikes-gc',
        severity: 'warning',
        title: 'Event-loop delay spikes on worker 0 (up to 80 ms) line up with its GC pauses: 3 of 3 spikes came with a pause of 5 ms or more (the longest 60 ms).',
        range: { fromMs: 2_000, toMs: 8_000 },
      },
    ],
  },
  {
    name: 'spikes without GC pauses at their time say nothing',
    rule: delaySpikesWithGc,
    input: load({ series: { 'worker.0.eld': every(1_000, [3, 4, 60, 3, 4, 80, 3, 70, 4], 'ms') }, events: [gc(500, 45, 0), gc(4_500, 60, 0)] }),
    expected: [],
  },
  {
    name: 'GC pauses without spikes say nothing',
    rule: delaySpikesWithGc,
    input: load({ series: { 'worker.0.eld': every(1_000, [3, 4, 5, 3, 4, 5], 'ms') }, events: [gc(2_500, 45, 0), gc(4_500, 60, 0)] }),
    expected: [],
  },
  {
    name: 'errors by kind, with when they started',
    rule: errorsByKind,
    input: load({
      summary: { 'errors.non2xx': m(0), 'errors.reset': m(30), 'errors.timeout': m(5), errorRate: m(0.4, 'percent') },
      series: { 'errors.reset': every(1_000, [0, 0, 0, 20, 10, 0]), 'errors.timeout': every(1_000, [0, 0, 0, 0, 5, 0]) },
    }),
    expected: [
      {
        id: 'load.errors',
        severity: 'warning',
        title: '35 requests failed (0.4%): reset 30, timeout 5, the first by 3 s.',
        range: { fromMs: 3_000, toMs: 5_000 },
      },
    ],
  },
  {
    name: 'errors from the start at a high rate are a problem',
    rule: errorsByKind,
    input: load({ summary: { 'errors.non2xx': m(1_200), errorRate: m(100, 'percent') }, series: { 'errors.non2xx': every(1_000, [600, 600]) } }),
    expected: [{ id: 'load.errors', severity: 'problem', title: '1,200 requests failed (100%): non-2xx 1,200, from the start of the measured window.' }],
  },
  { name: 'no errors say nothing', rule: errorsByKind, input: load({ summary: { 'errors.non2xx': m(0), errorRate: m(0, 'percent') } }), expected: [] },
];

describe('load findings', () => {
  it.each(cases)('$name', ({ rule, input, context, expected }) => {
    const found = rule(input, context ?? { live: false });
    const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
    expect(list).toHaveLength(expected.length);
    list.forEach((finding, index) => expect(FindingSchema.parse(finding)).toMatchObject(expected[index]!));
  });

  const engines = engineFactory();

  it('a real run on a cluster whose every answer is a 503 finds the errors, from the start', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'cluster', cluster: { workers: 1, health: { errorRate: { enabled: false } } } },
        load: { connections: 2, durationSec: 1.5, warmupSec: 0.3, mix: [{ path: '/error?status=503' }] },
        sampleIntervalMs: 500,
      },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.status, record.error?.message).toBe('completed');
    const errors = record.findings?.find((finding) => finding.id === 'load.errors');
    expect(errors?.title, JSON.stringify(record.findings)).toMatch(/^[\d,]+ requests failed \(100%\): non-2xx [\d,]+, from the start of the measured window\.$/);
    expect(errors?.severity).toBe('problem');
  });

  it('a real run on a healthy endpoint finds no errors', async () => {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'load', target: { type: 'cluster', cluster: { workers: 1 } }, load: { connections: 2, durationSec: 1, warmupSec: 0.2 }, sampleIntervalMs: 500 },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.status, record.error?.message).toBe('completed');
    expect(record.findings?.map((finding) => finding.id)).not.toContain('load.errors');
  });
});
