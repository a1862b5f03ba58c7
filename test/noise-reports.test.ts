import { expect, test } from 'vitest';
import { captureEnvironment } from '../src/main/engine/environment.js';
import { renderReport } from '../src/main/engine/studies/report/index.js';
import type { SweepAnalysis } from '../src/shared/studies.js';
import { NOISE_SERIES } from '../src/shared/noise.js';
import { noiseIntervalsFromSeries, noiseVerdict } from '../src/shared/noise-verdict.js';
import type { RunRecord } from '../src/shared/run-record.js';
import type { SweepRecord } from '../src/shared/specs/sweep.js';
import { sweepReport } from './fixtures/report-files.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const exporter = captureEnvironment('test');

/** A 4-second run whose second and third seconds were busy. */
function busyRun(id: string): RunRecord {
  const t = [1000, 2000, 3000, 4000];
  const series: RunRecord['series'] = {
    throughput: { unit: 'jobs/s', label: 'Throughput', t, v: [10, 9, 8, 10] },
    [NOISE_SERIES.othersCores]: { unit: 'cores', label: 'machine: other processes', t, v: [0.05, 0.9, 1.1, 0.1] },
    [NOISE_SERIES.loadAverage]: { unit: 'count', label: 'machine: load average (1 min)', t, v: [1, 1.5, 2, 2] },
  };
  const noise = noiseVerdict(noiseIntervalsFromSeries((name) => series[name]));
  return { ...tinyRunRecord(id), durationMs: 4000, series, noise };
}

test('a run report says how busy the machine was and shades the busy stretch on every chart', () => {
  const run = busyRun('noisy-run');
  expect(run.noise!.verdict).toBe('busy');
  const subject = { type: 'run', run } as const;

  const html = renderReport(subject, 'html', exporter).content;
  expect(html).toContain('<td>Machine</td><td>busy (others used 0.54 cores, over the 0.25 threshold; worst second 1.1, load 1.63)</td>');
  const charts = html.match(/<svg class="chart"/g)!.length;
  expect(charts).toBeGreaterThanOrEqual(2);
  // One band (1 s to 3 s) on every chart of the run.
  expect(html.match(/<rect [^>]*class="noise-band"/g)).toHaveLength(charts);
  expect(html).toMatch(/<rect x="[\d.]+" y="40" width="[\d.]+" height="146" class="noise-band"/);
  expect(html).toContain('Shaded stretches: other processes used more CPU than the threshold');

  const md = renderReport(subject, 'md', exporter).content;
  expect(md).toContain('| Machine | busy (others used 0.54 cores, over the 0.25 threshold; worst second 1.1, load 1.63) |');

  const csv = renderReport(subject, 'csv', exporter).content.split('\n');
  const meta = csv.find((line) => line.startsWith('# noise: '))!;
  expect(JSON.parse(meta.slice('# noise: '.length))).toEqual(run.noise);
  expect(csv).toContain('series,noise.othersCores,2000,0.9,cores');

  const json = JSON.parse(renderReport(subject, 'json', exporter).content) as { run: RunRecord };
  expect(json.run.noise).toEqual(run.noise);
});

test('a run from before noise was measured says so, with no band', () => {
  const run = tinyRunRecord('old-run');
  const html = renderReport({ type: 'run', run }, 'html', exporter).content;
  expect(html).toContain('<td>Machine</td><td>not measured (recorded before Tunebench measured it)</td>');
  expect(html).not.toContain('noise-band');
  const csv = renderReport({ type: 'run', run }, 'csv', exporter).content;
  expect(csv).not.toContain('# noise');
});

test("a sweep report lists each run's machine verdict", () => {
  const file = sweepReport('noisy-sweep', ['s1', 's2']) as { sweep: SweepRecord; runs: RunRecord[] };
  const runs = [{ ...busyRun('s1'), origin: { sweepId: 'noisy-sweep', point: 0 } }, file.runs[1]!];
  const analysis: SweepAnalysis = { metric: null, latencyMetric: null, units: {}, points: [], knees: [], best: null, warnings: [] };
  const subject = { type: 'sweep', sweep: file.sweep, analysis, runs } as const;

  const md = renderReport(subject, 'md', exporter).content;
  expect(md).toContain('| # | Run | Point | Repeat | Status | Duration | Machine |');
  expect(md).toMatch(/\| 1 \| s1 \| 0 \| 1 \| completed \| [^|]+ \| busy: others 0\.54 cores \|/);
  expect(md).toMatch(/\| 2 \| s2 \| 0 \| 2 \| completed \| [^|]+ \| not measured \|/);

  const csv = renderReport(subject, 'csv', exporter).content.split('\n');
  const header = csv.find((line) => line.startsWith('order,'))!.split(',');
  const first = csv.find((line) => line.startsWith('1,'))!.split(',');
  expect(first[header.indexOf('machine')]).toBe('busy');
  expect(Number(first[header.indexOf('others_cores')])).toBeCloseTo(0.5375, 6);
});
