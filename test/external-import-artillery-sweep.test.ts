/**
 * Artillery reports imported as load runs, and external runs as the points
 * of a sweep. The report fixture is real: an exported script (open loop,
 * 300 req/s for 12 s after a 2 s warm-up, 3:1 mix of /health and a path
 * answering 500) run by Artillery 2.0.34 against a server on 127.0.0.1.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importArtilleryReport } from '../src/main/engine/external/artillery-results.js';
import { textSource } from '../src/main/engine/external/ndjson-lines.js';
import { LoadSpecSchema } from '../src/shared/specs/load.js';
import { RunRecordSchema } from '../src/shared/run-record.js';
import { engineFactory } from './fixtures/engine.js';

const DIR = path.join(import.meta.dirname, 'fixtures/external');
const REPORT = path.join(DIR, 'artillery-2.0.34-open-300.report.json');
const SPEC = path.join(DIR, 'artillery-2.0.34-open-300.spec.json');
const K6 = path.join(DIR, 'k6-0.54.handwritten.ndjson');
const engines = engineFactory();

describe('Artillery report import', () => {
  it('leaves out the warm-up periods and reads the measured ones', async () => {
    const spec = LoadSpecSchema.parse(JSON.parse(await fs.readFile(SPEC, 'utf8')));
    const { run, warnings } = importArtilleryReport({ text: await fs.readFile(REPORT, 'utf8'), file: 'report.json', choice: { type: 'given', spec, source: 'spec.json' }, host: 'test' });
    expect(warnings).toEqual([]);
    expect(RunRecordSchema.safeParse(run).success).toBe(true);
    const value = (name: string) => run.summary[name]?.value;
    // 12 s at 300 req/s; the 600 warm-up requests are out.
    expect(value('requests')).toBe(3_600);
    expect(value('setupSec')).toBeGreaterThan(10);
    expect(value('throughput')).toBeCloseTo(300, -1);
    expect(value('achievedRatio')).toBeCloseTo(1, 1);
    expect(value('errors.non2xx')).toBe(value('status.500'));
    expect(value('mix.0.requests')! + value('mix.1.requests')!).toBe(3_600);
    expect(value('mix.0.requests')! / 3_600).toBeCloseTo(0.75, 1);
    expect(run.summary['latency.p99']?.label).toMatch(/periods' percentiles averaged by count/);
    expect(run.series.throughput?.v.length).toBe(2);
    expect(run.environment.extra).toMatchObject({ sourceEngine: 'artillery', specSource: 'spec.json' });
  });

  it('refuses a report without a spec, and foreign or broken files', async () => {
    const text = await fs.readFile(REPORT, 'utf8');
    const attempt = (content: string) => () => importArtilleryReport({ text: content, file: 'r.json', choice: { type: 'none' }, host: 'test' });
    expect(attempt(text)).toThrow(/does not say what ran.*pass --spec/);
    expect(attempt('{"aggregate":{},"intermediate":"no"}')).toThrow(/not a valid Artillery report/);
    expect(attempt('{"runs":[]}')).toThrow(/not an Artillery JSON report/);
    expect(attempt(text.replace(/"p99":/g, '"p99":"x",'))).toThrow(/not valid JSON|not valid/);
  });
});

describe('external runs in studies', () => {
  it('a sweep whose points ran on k6 and Artillery: imported into points, analysed, compared and reported like native runs', async () => {
    const engine = await engines.open(await engines.tempDir());
    const base = LoadSpecSchema.parse(JSON.parse(await fs.readFile(SPEC, 'utf8')));
    const sweep = await engine.studies.createExternalSweep({ kind: 'sweep', base, axes: [{ path: 'load.rate', values: [300, 600] }], repeats: 2, warmup: 0 });
    expect(sweep.status).toBe('stopped');
    const report = await fs.readFile(REPORT, 'utf8');
    // Two repeats of point 0 from the same report would be the same run: the second import is skipped, so vary it.
    const first = await engine.studies.importExternal({ engine: 'artillery', file: 'a.json', text: report, sweep: { sweepId: sweep.id, point: 0 } });
    expect(first.repeat).toBe(0);
    const second = await engine.studies.importExternal({ engine: 'artillery', file: 'b.json', text: report.replace(/"http.responses":(\d+)/, (_m, n) => `"http.responses":${Number(n) - 10}`), sweep: { sweepId: sweep.id, point: 0 } });
    expect(second.repeat).toBe(1);
    const k6 = await engine.studies.importExternal({ engine: 'k6', file: 'k6.json', sources: [textSource(await fs.readFile(K6, 'utf8'), 'k6.json')], sweep: { sweepId: sweep.id, point: 1 } });
    expect(k6.warnings.join(' ')).toMatch(/different spec than point 1/);
    expect(k6.run.spec).toMatchObject({ load: { rate: 600 } });
    const k6b = await engine.studies.importExternal({ engine: 'k6', file: 'k6b.json', sources: [textSource((await fs.readFile(K6, 'utf8')).replace('"value":7.0', '"value":8.0'), 'k6b.json')], sweep: { sweepId: sweep.id, point: 1 } });
    expect(k6b.repeat).toBe(1);

    const { sweep: saved, analysis } = await engine.call('sweeps.get', { sweepId: sweep.id });
    expect(saved.status).toBe('completed');
    expect(saved.runs.map((entry) => [entry.point, entry.repeat])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(analysis.points.map((point) => point.metrics.throughput?.n)).toEqual([2, 2]);
    expect(analysis.metric).toBe('throughput');

    const { comparison } = await engine.call('runs.compare', { baseline: { sweepId: sweep.id, point: 0 }, candidate: { sweepId: sweep.id, point: 1 } });
    expect(comparison.rows.find((row) => row.metric === 'throughput')?.basis).toBe('per-repeat');
    const md = await engine.call('report.export', { target: { sweepId: sweep.id }, format: 'md' });
    expect(md.content).toContain('load.rate');
    const runReport = await engine.call('report.export', { target: { runId: k6.runId }, format: 'md' });
    expect(runReport.content).toMatch(/sourceEngine \| k6/);

    await expect(engine.studies.importExternal({ engine: 'k6', file: 'k6.json', sources: [], sweep: { sweepId: 'nope', point: 0 } })).rejects.toThrow(/not found/i);
    await expect(engine.studies.importExternal({ engine: 'artillery', file: 'a.json', text: report, sweep: { sweepId: sweep.id, point: 5 } })).rejects.toThrow(/has no point 5/);
  });
});
