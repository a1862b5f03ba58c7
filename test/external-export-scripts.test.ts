/**
 * A load spec exported as a k6 or Artillery script: the structure each
 * engine reads (scenarios and executors, phases, weights, tags, thresholds),
 * checked against their documented option names; k6 itself is not on npm
 * (the "k6" package is an empty placeholder), so the k6 script is checked
 * by structure here and by evaluating its options, not by running it.
 * Artillery's scripts are run for real in bench/external.bench.mjs.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { exportLoadSpec } from '../src/main/engine/external/export.js';
import { TunebenchError } from '../src/shared/errors.js';
import type { LoadSpecInput } from '../src/shared/specs/load.js';

const base: LoadSpecInput = {
  kind: 'load',
  name: 'checkout',
  target: { type: 'url', url: 'http://127.0.0.1:3000/' },
  load: {
    mode: 'closed',
    connections: 8,
    durationSec: 20,
    warmupSec: 2,
    timeoutMs: 3_000,
    mix: [
      { method: 'GET', path: '/health', weight: 3, headers: { 'x-team': 'a' } },
      { method: 'POST', path: '/io?ms=5', weight: 1, body: '{"n":1}' },
    ],
  },
};
const open = (rate: number, extra: Partial<LoadSpecInput['load']> = {}): LoadSpecInput => ({ ...base, load: { ...base.load, mode: 'open', rate, ...extra } });

/** The k6 script's `options` and MIX, evaluated with k6's modules stubbed (no k6 binary here). */
function k6Options(content: string): { options: any; mix: any[]; setupSpec: unknown } {
  const body = content
    .replace("import http from 'k6/http';", 'const http = { request: () => {} };')
    .replace("import { Counter } from 'k6/metrics';", 'class Counter { constructor(n) { this.n = n; } add(v, tags) { globalThis.carried = tags; } }')
    .replace(/export const options/, 'globalThis.options')
    .replace(/export function setup/, 'globalThis.setup = function setup')
    .replace(/export default function/, 'globalThis.iteration = function');
  const context: Record<string, any> = { __ENV: {} };
  vm.runInNewContext(`${body}\nglobalThis.mix = MIX; if (globalThis.setup) globalThis.setup();`, context);
  return { options: context.options, mix: context.mix, setupSpec: context.carried ? JSON.parse(context.carried.spec) : undefined };
}

describe('k6 export', () => {
  const cases: Array<{ name: string; spec: LoadSpecInput; check: (options: any, notes: string[]) => void }> = [
    {
      name: 'closed loop: constant-vus, one VU per connection, warm-up first',
      spec: base,
      check: (options) => {
        expect(options.scenarios.tb_warmup).toMatchObject({ executor: 'constant-vus', vus: 8, duration: '2s', tags: { tb_phase: 'warmup' } });
        expect(options.scenarios.tb_measured).toMatchObject({ executor: 'constant-vus', vus: 8, duration: '20s', startTime: '2s', tags: { tb_phase: 'measured' } });
      },
    },
    {
      name: 'closed loop with a request count: shared-iterations',
      spec: { ...base, load: { ...base.load, requests: 5_000 } },
      check: (options) => expect(options.scenarios.tb_measured).toMatchObject({ executor: 'shared-iterations', vus: 8, iterations: 5_000, maxDuration: '20s' }),
    },
    {
      name: 'open loop: constant-arrival-rate, VUs from the expected latency',
      spec: open(1_000),
      check: (options, notes) => {
        // 1000 req/s × 50 ms = 50 in flight: 100 pre-allocated, 500 at most.
        expect(options.scenarios.tb_measured).toMatchObject({ executor: 'constant-arrival-rate', rate: 1_000, timeUnit: '1s', preAllocatedVUs: 100, maxVUs: 500 });
        expect(notes.join(' ')).toMatch(/k6 drops it when no VU is free/);
      },
    },
    {
      name: 'open loop at a fractional rate: whole arrivals per longer unit',
      spec: open(2.5, { warmupSec: 0 }),
      check: (options) => {
        expect(options.scenarios.tb_warmup).toBeUndefined();
        expect(options.scenarios.tb_measured).toMatchObject({ rate: 25, timeUnit: '10s' });
        expect(options.scenarios.tb_measured.startTime).toBeUndefined();
      },
    },
    {
      name: 'open loop with a request count: a shorter measured phase, said in the notes',
      spec: open(100, { requests: 500 }),
      check: (options, notes) => {
        expect(options.scenarios.tb_measured.duration).toBe('5s');
        expect(notes.join(' ')).toMatch(/500 requests at 100 req\/s/);
      },
    },
  ];
  for (const { name, spec, check } of cases) {
    it(name, () => {
      const exported = exportLoadSpec(spec, 'k6');
      const { options, mix, setupSpec } = k6Options(exported.content);
      check(options, exported.notes);
      expect(options.scenarios.tb_measured.gracefulStop).toBe('3000ms');
      expect(mix.map((entry) => [entry.method, entry.path, entry.weight])).toEqual([
        ['GET', '/health', 3],
        ['POST', '/io?ms=5', 1],
      ]);
      expect(mix[0].headers).toEqual({ 'x-team': 'a' });
      expect(mix[1].body).toBe('{"n":1}');
      // setup() carries the whole spec into the results.
      expect(setupSpec).toMatchObject({ kind: 'load', name: 'checkout' });
      expect(exported.content).toContain('tags: { tb_mix: String(index), name: entry.name }');
      expect(exported.content).toContain('timeout: TIMEOUT');
      expect(exported.content).toMatch(/--execution-segment "0:1\/4"/);
      expect(exported.fileName).toBe('checkout.k6.js');
    });
  }

  it('turns a target into a threshold on the measured phase, or names what it cannot', () => {
    const thresholds = (metric: string, op: '<' | '>', value: number) =>
      k6Options(exportLoadSpec(base, 'k6', { target: { metric, op, value } }).content).options.thresholds;
    expect(thresholds('latency.p99', '<', 50)).toEqual({ 'http_req_duration{tb_phase:measured}': ['p(99)<50'] });
    expect(thresholds('latency.p999', '<', 80)).toEqual({ 'http_req_duration{tb_phase:measured}': ['p(99.9)<80'] });
    expect(thresholds('errorRate', '<', 1)).toEqual({ 'http_req_failed{tb_phase:measured}': ['rate<0.01'] });
    expect(thresholds('throughput', '>', 900)).toEqual({ 'http_reqs{tb_phase:measured}': ['rate>900'] });
    const unknown = exportLoadSpec(base, 'k6', { target: { metric: 'generator.utilization', op: '<', value: 50 } });
    expect(k6Options(unknown.content).options.thresholds).toBeUndefined();
    expect(unknown.notes.join(' ')).toMatch(/Not expressed: the target generator\.utilization/);
  });

  it('names faults, a rolling restart and a cluster target instead of dropping them', () => {
    const exported = exportLoadSpec(
      {
        ...base,
        target: { type: 'cluster', cluster: { workers: 3 } },
        faults: [{ atSec: 4, fault: { action: 'kill', slot: 1 } }],
        rollingRestartAtSec: 8,
      },
      'k6',
    );
    const notes = exported.notes.join('\n');
    expect(notes).toMatch(/Not expressed: the fault at 4 s \(kill -9 of worker 1\)/);
    expect(notes).toMatch(/Not expressed: the rolling restart of the Tunebench cluster at 8 s/);
    expect(notes).toMatch(/pass its address as TARGET_URL/);
    expect(() => k6Options(exported.content)).toThrow(/set TARGET_URL/);
    for (const note of exported.notes) expect(exported.content).toContain(note);
  });

  it('keeps hostile text inert: a name with a line separator cannot end the comment it is in', () => {
    const exported = exportLoadSpec({ ...base, name: 'x\u2028globalThis.pwned = 1; //*/' }, 'k6');
    expect(exported.content).not.toMatch(/[\u2028\u2029]/);
    const context: Record<string, any> = { __ENV: {} };
    const body = exported.content.split("import http from 'k6/http';")[0]!;
    vm.runInNewContext(body, context);
    expect(context.pwned).toBeUndefined();
  });

  it('refuses what is not a valid load spec', () => {
    expect(() => exportLoadSpec({ kind: 'pool' }, 'k6')).toThrow(/only load specs/);
    expect(() => exportLoadSpec({ ...base, load: { ...base.load, connections: 0 } }, 'k6')).toThrow(TunebenchError);
  });
});

describe('Artillery export', () => {
  it('open loop: warm-up, a 10 s pause, the measured phase; a scenario per mix entry named for its index', () => {
    const exported = exportLoadSpec(open(200), 'artillery', { target: { metric: 'latency.p99', op: '<', value: 50 } });
    const yaml = exported.content;
    expect(yaml).toContain('config:\n  target: "http://127.0.0.1:3000"\n  http:\n    timeout: 3\n  phases:\n');
    expect(yaml).toContain('    - name: "tb_warmup"\n      duration: 2\n      arrivalRate: 200\n    - name: "tb_gap"\n      pause: 10\n    - name: "tb_measured"\n      duration: 20\n      arrivalRate: 200\n');
    expect(yaml).toContain('    metrics-by-endpoint:\n      useOnlyRequestNames: true');
    expect(yaml).toContain('      - expression: "http.response_time.p99 < 50"');
    expect(yaml).toContain('  - name: "tb0 GET /health"\n    weight: 3\n    flow:\n      - get:\n          url: "/health"\n          name: "tb0 GET /health"\n          headers:\n            "x-team": "a"');
    expect(yaml).toContain('      - post:\n          url: "/io?ms=5"\n          name: "tb1 POST /io?ms=5"\n          body: "{\\"n\\":1}"');
    expect(exported.fileName).toBe('checkout.artillery.yml');
  });

  it('closed loop: a clear note on what changes, arrivals capped at the connections', () => {
    const exported = exportLoadSpec(base, 'artillery', { expectedLatencyMs: 4 });
    expect(exported.content).toContain('      arrivalRate: 2000\n      maxVusers: 8');
    expect(exported.notes.join(' ')).toMatch(/Closed loop becomes open loop: Artillery's model is arrivals/);
  });

  it('refuses text Artillery would expand as a template', () => {
    const spec = { ...base, load: { ...base.load, mix: [{ path: '/x?token={{$processEnvironment.SECRET}}' }] } };
    expect(() => exportLoadSpec(spec, 'artillery')).toThrow(/Artillery would expand as a template/);
    // k6 scripts carry it as a plain string.
    expect(exportLoadSpec(spec, 'k6').content).toContain('"/x?token={{$processEnvironment.SECRET}}"');
  });

  it('names faults and whole-second roundings', () => {
    const exported = exportLoadSpec({ ...open(10.5, { durationSec: 2.5 }), faults: [] }, 'artillery');
    const notes = exported.notes.join('\n');
    expect(notes).toMatch(/10\.5 req\/s becomes 11/);
    expect(notes).toMatch(/measured phase of 2\.5 s becomes 3 s/);
  });
});
