import { describe, expect, it } from 'vitest';
import { machineBusy, shortRun, tooFewRepeats } from '../src/main/engine/findings/common.js';
import { findingsOf, type FindingContext, type FindingInput, type FindingRule } from '../src/main/engine/findings/index.js';
import { mainThreadBusy } from '../src/main/engine/findings/pool.js';
import { FindingSchema, type Finding } from '../src/shared/findings.js';
import { noiseVerdict } from '../src/shared/noise-verdict.js';
import { NOISE_SERIES } from '../src/shared/noise.js';
import { event, every, findingInput, m } from './fixtures/finding-inputs.js';

const quiet = noiseVerdict([1, 2, 3].map(() => ({ durationMs: 1_000, othersCores: 0.05, stealRatio: 0, loadAverage: 0.3, cpuPressure: 0.01 })));
const busy = noiseVerdict([0.2, 1.4, 1.2].map((othersCores) => ({ durationMs: 1_000, othersCores, stealRatio: 0, loadAverage: 2, cpuPressure: 0.2 })));
const othersSeries = (values: number[]) => ({ [NOISE_SERIES.othersCores]: every(1_000, values, 'cores') });

interface Case {
  name: string;
  rule: FindingRule;
  input: FindingInput;
  context?: FindingContext;
  /** The finding expected, partly; undefined: the rule must say nothing. */
  expected: Partial<Finding> | undefined;
}

const cases: Case[] = [
  {
    name: 'a busy machine is a warning, over the busy stretch, with a rerun',
    rule: machineBusy,
    input: findingInput('pool', { noise: busy, series: othersSeries([0.2, 1.4, 1.2]) }),
    expected: { id: 'machine-busy', severity: 'warning', range: { fromMs: 1_000, toMs: 3_000 }, tryNext: { action: 'rerun', label: 'Rerun when the machine is quiet', patch: {} } },
  },
  { name: 'a quiet machine says nothing', rule: machineBusy, input: findingInput('pool', { noise: quiet }), expected: undefined },
  { name: 'a record from before noise was measured says nothing', rule: machineBusy, input: findingInput('db'), expected: undefined },
  {
    name: 'live, the noise series so far decide',
    rule: machineBusy,
    input: findingInput('load', { status: 'running', series: othersSeries([0.9, 1, 1.1]) }),
    context: { live: true },
    expected: { id: 'machine-busy' },
  },
  {
    name: 'live, two seconds of noise are not enough',
    rule: machineBusy,
    input: findingInput('load', { status: 'running', series: othersSeries([0.9, 1]) }),
    context: { live: true },
    expected: undefined,
  },
  {
    name: 'live, a quiet machine so far says nothing',
    rule: machineBusy,
    input: findingInput('load', { status: 'running', series: othersSeries([0.01, 0.02, 0.05, 0]) }),
    context: { live: true },
    expected: undefined,
  },
  {
    name: 'a short pool window: rerun with enough jobs for 2 s and 200 jobs',
    rule: shortRun,
    input: findingInput('pool', {
      spec: { kind: 'pool', jobs: 100 },
      summary: { setupSec: m(0.05, 's') },
      events: [event(150, 'measure-start', { warmupMs: 100 }), event(800, 'short-run', { seconds: 0.6, jobs: 90, measured: true })],
    }),
    expected: {
      id: 'short-run',
      severity: 'warning',
      title: 'The measured window was too short for stable numbers: 0.6 s and 90 jobs (at least 2 s and 200 jobs are needed).',
      range: { fromMs: 0, toMs: 800 },
      tryNext: { action: 'rerun', label: 'Rerun with 500 jobs', patch: { jobs: 500 } },
    },
  },
  {
    name: 'a pool run whose start-up and warm-up outlast its measured window is start-up dominated',
    rule: shortRun,
    input: findingInput('pool', {
      spec: { kind: 'pool', jobs: 100 },
      summary: { setupSec: m(0.3, 's') },
      events: [event(500, 'measure-start', { warmupMs: 200 }), event(700, 'short-run', { seconds: 0.2, jobs: 90, measured: true })],
    }),
    expected: { id: 'short-run', title: expect.stringMatching(/^Start-up and warm-up \(0\.5 s\) took longer than the 0\.2 s measured: the run is start-up dominated/) as unknown as string },
  },
  {
    name: 'a pool run that ended in its warm-up says so',
    rule: shortRun,
    input: findingInput('pool', { spec: { kind: 'pool', jobs: 20 }, events: [event(300, 'short-run', { seconds: 0.3, jobs: 20, measured: false })] }),
    expected: { id: 'short-run', title: expect.stringMatching(/^The run ended during its warm-up/) as unknown as string, tryNext: { action: 'rerun', label: 'Rerun with 500 jobs', patch: { jobs: 500 } } },
  },
  {
    name: 'a short load run: rerun for longer, with a request count that will not end it early',
    rule: shortRun,
    input: findingInput('load', {
      spec: { kind: 'load', load: { durationSec: 1, requests: 50 } },
      events: [event(2_000, 'measure-start'), event(3_000, 'short-run', { seconds: 1, requests: 50 })],
    }),
    expected: { id: 'short-run', tryNext: { action: 'rerun', label: 'Rerun for 5 s', patch: { 'load.durationSec': 5, 'load.requests': 500 } } },
  },
  { name: 'a run long enough says nothing', rule: shortRun, input: findingInput('pool', { events: [event(100, 'measure-start')] }), expected: undefined },
  {
    name: 'live, a short window is not judged before the end',
    rule: shortRun,
    input: findingInput('pool', { events: [event(300, 'short-run', { seconds: 0.3, jobs: 20 })] }),
    context: { live: true },
    expected: undefined,
  },
  {
    name: 'a sweep of two repeats a point is too few',
    rule: tooFewRepeats,
    input: findingInput('pool', { origin: { sweepId: 'sweep-1', point: 0 } }),
    context: { live: false, repeats: 2 },
    expected: { id: 'too-few-repeats', severity: 'warning', tryNext: { action: 'sweep', label: 'Repeat these settings 5 times', repeats: 5 } },
  },
  {
    name: 'a sweep of three repeats says nothing',
    rule: tooFewRepeats,
    input: findingInput('pool', { origin: { sweepId: 'sweep-1', point: 0 } }),
    context: { live: false, repeats: 3 },
    expected: undefined,
  },
  {
    name: 'one rerun against one run is a note',
    rule: tooFewRepeats,
    input: findingInput('db', { origin: { rerunOf: 'run-a' } }),
    expected: { id: 'too-few-repeats', severity: 'info', title: expect.stringMatching(/^One run against one \(this reruns run-a\)/) as unknown as string },
  },
  { name: 'a run on its own says nothing', rule: tooFewRepeats, input: findingInput('db'), expected: undefined },
  { name: 'a failed rerun says nothing', rule: tooFewRepeats, input: findingInput('db', { status: 'failed', origin: { rerunOf: 'run-a' } }), expected: undefined },
];

describe('findings of every kind', () => {
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

  it('are listed most severe first, and a rule that throws is left out', () => {
    const input = findingInput('pool', {
      noise: busy,
      spec: { kind: 'pool', jobs: 100, pool: { threads: 4 } },
      // A summary value one rule reads (the main thread's), broken: that rule throws, the others go on.
      summary: Object.defineProperty({}, 'elu', {
        enumerable: true,
        get() {
          throw new Error('broken');
        },
      }),
      events: [event(800, 'short-run', { seconds: 0.6, jobs: 90, measured: true })],
    });
    expect(() => mainThreadBusy(input, { live: false })).toThrow('broken');
    const found = findingsOf(input);
    expect(found.map((finding) => finding.id)).toEqual(['pool.threads-over-cores', 'machine-busy', 'short-run']);
    expect(findingsOf({ ...input, origin: { rerunOf: 'run-a' } }).at(-1)?.severity).toBe('info');
  });
});
