/**
 * k6 results imported as load runs. k6 itself cannot be installed here (it
 * is a Go binary; npm's "k6" package is an empty placeholder and no other
 * reachable registry has it), so these tests read results written by hand
 * in k6's documented JSON output format (k6 docs: Results output → JSON;
 * tags from "Tags and groups"; error codes from "Error codes"):
 * test/fixtures/external/k6-0.54.handwritten.ndjson, and generated files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importK6Results } from '../src/main/engine/external/k6-results.js';
import { fileSource, textSource } from '../src/main/engine/external/ndjson-lines.js';
import { RunRecordSchema } from '../src/shared/run-record.js';
import { LoadSpecSchema } from '../src/shared/specs/load.js';
import { engineFactory } from './fixtures/engine.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/external/k6-0.54.handwritten.ndjson');
const engines = engineFactory();

function point(metric: string, at: number, value: number, tags: Record<string, string>): string {
  return JSON.stringify({ metric, type: 'Point', data: { time: new Date(at).toISOString().replace('Z', '123+00:00'), value, tags } });
}

/** A k6 instance's results: `count` measured requests of 2 ms, 100 per second, from `start`. */
function instanceLines(instance: number, start: number, count: number): string {
  const lines = [JSON.stringify({ metric: 'http_req_duration', type: 'Metric', data: { type: 'trend', contains: 'time', thresholds: [], submetrics: null } })];
  for (let i = 0; i < count; i++) {
    lines.push(
      point('http_req_duration', start + i * 10, 2 + (i % 3), {
        method: 'GET',
        status: '200',
        url: 'http://10.0.0.5:8080/health',
        name: 'GET /health',
        scenario: 'default',
        expected_response: 'true',
        instance_id: String(instance),
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('k6 results import', () => {
  it('reads the documented format: spec, warm-up left out, latency, errors by kind and status, mix, dropped arrivals', async () => {
    const { run, warnings } = await importK6Results({ sources: [fileSource(FIXTURE, 'k6.ndjson')], choice: { type: 'none' }, host: 'test' });
    expect(warnings).toEqual([]);
    expect(RunRecordSchema.safeParse(run).success).toBe(true);
    expect(run.kind).toBe('load');
    expect(LoadSpecSchema.parse(run.spec).name).toBe('k6 fixture');
    expect(run.environment.extra).toMatchObject({ sourceEngine: 'k6', sourceEngineVersion: 'v0.54.0', specSource: 'carried by the results (exported by Tunebench)' });
    const value = (name: string) => run.summary[name]?.value;
    expect(value('requests')).toBe(10);
    expect(value('errors')).toBe(3);
    expect(value('errors.non2xx')).toBe(1);
    expect(value('errors.timeout')).toBe(1);
    expect(value('errors.refused')).toBe(1);
    expect(value('errorRate')).toBe(25);
    expect(value('measuredSec')).toBe(3);
    expect(value('throughput')).toBeCloseTo(10 / 3, 2);
    expect(value('requestedRate')).toBe(4);
    expect(value('achievedRatio')).toBeCloseTo(10 / 3 / 4, 2);
    expect(value('dropped')).toBe(2);
    expect(value('status.200')).toBe(9);
    expect(value('status.500')).toBe(1);
    expect(value('latency.p50')).toBeCloseTo(5, 1);
    expect(value('latency.max')).toBe(23);
    expect(value('latency.mean')).toBeCloseTo(9.4, 3);
    expect(value('mix.0.requests')).toBe(7);
    expect(value('mix.1.requests')).toBe(3);
    expect(value('mix.1.latency.p99')).toBeCloseTo(23, 0);
    expect(run.summary['mix.1.latency.p99']?.label).toBe('POST /io?ms=20: latency p99');
    expect(run.series.throughput?.v).toEqual([4, 3, 3]);
    expect(run.series['errors.timeout']?.v).toEqual([0, 1, 0]);
    expect(run.distributions.latency?.observed).toBe(10);
    const start = run.events.find((event) => event.type === 'measure-start');
    expect(start?.message).toMatch(/4 warm-up requests left out/);
  });

  it('streams several gzipped instance files into one run, counts the instances, rebuilds a spec when none is carried', async () => {
    const dir = await engines.tempDir();
    const files: string[] = [];
    for (let instance = 0; instance < 3; instance++) {
      const file = path.join(dir, `results-${instance}.json.gz`);
      await fs.writeFile(file, await promisify(gzip)(instanceLines(instance, Date.UTC(2025, 0, 1) + instance, 2_000)));
      files.push(file);
    }
    const { run, warnings } = await importK6Results({ sources: files.map((file) => fileSource(file, path.basename(file))), choice: { type: 'none' }, host: 'test' });
    expect(warnings.join(' ')).toMatch(/rebuilt from what they show/);
    expect(run.environment.extra?.sourceInstances).toBe('3');
    expect(run.summary.requests?.value).toBe(6_000);
    expect(run.summary.throughput?.value).toBeCloseTo(300, -1);
    expect(run.spec).toMatchObject({ target: { type: 'url', url: 'http://10.0.0.5:8080' }, load: { mix: [{ method: 'GET', path: '/health' }] } });
    expect(run.summary['latency.p50']?.value).toBeCloseTo(3, 1);
  });

  it('refuses bad and foreign files, naming the line', async () => {
    const text = await fs.readFile(FIXTURE, 'utf8');
    const cases: Array<[string, string, RegExp]> = [
      ['a Tunebench report', JSON.stringify({ tunebench: 'tunebench-report' }), /not k6 JSON output .*line 1: no "metric" name/],
      ['CSV', 'metric_name,timestamp,metric_value\nhttp_reqs,1595325560,1.000000\n', /not k6 JSON output .*line 1: not JSON/],
      ['a torn line', `${text}{"metric":"http_reqs","type":"Poi`, /line 60: not JSON/],
      ['a bad time', text.replace('"time":"2025-03-04T10:00:01.000123456+01:00"', '"time":"yesterday"'), /a Point without a valid "time"/],
      ['only Metric lines', text.split('\n').filter((line) => line.includes('"type":"Metric"')).join('\n'), /no http_req_duration samples/],
      ['a carried spec that is not valid', text.replace('\\"connections\\":10', '\\"connections\\":0'), /the spec the results carry is not a valid load spec/],
    ];
    for (const [name, content, message] of cases) {
      await expect(importK6Results({ sources: [textSource(content, 'x.json')], choice: { type: 'none' }, host: 'test' }), name).rejects.toThrow(message);
    }
    await expect(
      importK6Results({ sources: [textSource(`${'x'.repeat(2_000)}\n`, 'long.json')], choice: { type: 'none' }, host: 'test', limits: { maxLineBytes: 1_000, maxTotalBytes: 10_000 } }),
    ).rejects.toThrow(/line 1 is longer than/);
    await expect(
      importK6Results({ sources: [textSource(text, 'big.json')], choice: { type: 'none' }, host: 'test', limits: { maxLineBytes: 100_000, maxTotalBytes: 1_000 } }),
    ).rejects.toThrow(/larger than the limit/);
    const dir = await engines.tempDir();
    const fakeGzip = path.join(dir, 'fake.json.gz');
    await fs.writeFile(fakeGzip, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(importK6Results({ sources: [fileSource(fakeGzip, 'fake.json.gz')], choice: { type: 'none' }, host: 'test' })).rejects.toThrow(/gzip|unexpected end/i);
  });

  it('through the CLI: imported once, skipped the second time; a bad file changes nothing in the data directory', async () => {
    const { main } = await import('../src/main/cli.js');
    const dataDir = await engines.tempDir();
    const capture = () => {
      const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
      return out;
    };
    const run = async (args: string[]) => {
      const stdout = capture();
      const stderr = capture();
      const code = await main(args, { stdout, stderr, env: { TUNEBENCH_DATA_DIR: dataDir } });
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    const first = await run(['import', 'k6', FIXTURE, '--engine-version', 'v0.54.0']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Imported 1 run\(s\) and 0 sweep\(s\)\.\nRun \S+-k6-[0-9a-f]{8} \(k6 · k6 fixture\): throughput 3\.33 req\/s/);
    const second = await run(['import', 'k6', FIXTURE]);
    expect(second.stdout).toMatch(/already present/);
    const before = (await fs.readdir(path.join(dataDir, 'runs'))).sort();
    const dir = await engines.tempDir();
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, '{"metric":"vus","type":"Point","data":{"time":"2025-01-01T00:00:00Z","value":1}}\nnot json\n');
    const refused = await run(['import', 'k6', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Cannot import bad\.json: line 2: not JSON/);
    expect((await fs.readdir(path.join(dataDir, 'runs'))).sort()).toEqual(before);
    const missing = await run(['import', 'k6', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('through the Import button (runs.import): k6 output is recognised by its first line', async () => {
    const engine = await engines.open(await engines.tempDir());
    const result = await engine.call('runs.import', { fileName: 'k6.json', content: await fs.readFile(FIXTURE, 'utf8') });
    expect(result.runs).toHaveLength(1);
    const { run } = await engine.call('runs.get', { runId: result.runs[0]! });
    expect(run.environment.extra?.sourceEngine).toBe('k6');
  });
});
