import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StreamPayload } from '../src/shared/contract.js';
import type { SweepSpecInput } from '../src/shared/specs/sweep.js';
import { engineFactory } from './fixtures/engine.js';
import { spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

const sweepSpec: SweepSpecInput = {
  kind: 'sweep',
  name: 'spin threads 1 vs 2',
  base: spinSpec(1, 40),
  axes: [{ path: 'pool.threads', values: [1, 2] }],
  repeats: 3,
  warmup: 1,
  seed: 3,
};

describe('a sweep over real pool runs', () => {
  it('runs every point × repeat, reports progress, saves a sweep record and analyses it', async () => {
    const dataDir = await engines.tempDir();
    const engine = await engines.open(dataDir);
    const preview = await engine.call('sweeps.preview', { spec: sweepSpec });
    expect(preview).toMatchObject({ points: 2, runs: 7, estimatedMs: null, upperBoundMs: 7 * 60_000 });

    const progress: Array<StreamPayload<'sweep.progress'>> = [];
    const unsubscribe = engine.onStream((stream, payload) => {
      if (stream === 'sweep.progress') progress.push(payload as StreamPayload<'sweep.progress'>);
    });
    const { sweepId } = await engine.call('sweeps.start', { spec: sweepSpec });
    expect((await engine.call('sweeps.list', {})).active).toEqual([sweepId]);
    const record = await engine.studies.sweeps.wait(sweepId)!;
    unsubscribe();

    expect(record.status).toBe('completed');
    expect(record.runs).toHaveLength(7);
    expect(record.runs[0]!.repeat).toBe(-1);
    expect(record.runs.every((run) => run.status === 'completed')).toBe(true);
    expect(progress.filter((p) => p.status === 'running').map((p) => `${p.done}/${p.total}`)).toEqual(['0/7', '1/7', '2/7', '3/7', '4/7', '5/7', '6/7']);
    expect(progress[0]!.etaMs).toBeNull();
    expect(progress[1]!.etaMs).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ status: 'completed', done: 7, total: 7, etaMs: null });

    // Saved atomically in <dataDir>/sweeps; every run is an ordinary saved run linked to its sweep.
    const onDisk = JSON.parse(await fs.readFile(path.join(dataDir, 'sweeps', `${sweepId}.json`), 'utf8'));
    expect(onDisk.status).toBe('completed');
    for (const entry of record.runs) {
      const { run } = await engine.call('runs.get', { runId: entry.runId });
      expect(run.origin).toEqual({ sweepId, point: entry.point });
      expect((run.spec.pool as { threads: number }).threads).toBe(entry.point + 1);
    }

    const { analysis } = await engine.call('sweeps.get', { sweepId, analysis: { target: { metric: 'waitP99', op: '<', value: 10_000 } } });
    expect(analysis.metric).toBe('throughput');
    expect(analysis.latencyMetric).toBe('waitP99');
    expect(analysis.points.map((p) => p.metrics.throughput!.n)).toEqual([3, 3]);
    for (const point of analysis.points) {
      const { mean, low, high } = point.metrics.throughput!;
      expect(low).toBeLessThanOrEqual(mean);
      expect(high).toBeGreaterThanOrEqual(mean);
    }
    expect(analysis.knees).toHaveLength(1);
    expect(analysis.knees[0]!.point).not.toBeNull();
    expect(analysis.knees[0]!.evidence.join(' ')).toContain("Student's t on 3 repeats per point, as Compare judges");
    expect(analysis.best?.point).not.toBeNull();
    expect(analysis.best?.confidence).toBeGreaterThan(0);

    // Two sweep points compare on their repeats.
    const { comparison } = await engine.call('runs.compare', {
      baseline: { sweepId, point: 0 },
      candidate: { sweepId, point: 1 },
    });
    const throughput = comparison.rows.find((row) => row.metric === 'throughput')!;
    expect(throughput.basis).toBe('per-repeat');
    expect(throughput.n).toEqual({ baseline: 3, candidate: 3 });
    expect(throughput.ci).not.toBeNull();

    // The sweep report carries the chart with error bars and the recommendation.
    const html = (await engine.call('report.export', { target: { sweepId }, format: 'html' })).content;
    expect(html).toContain('Recommendation');
    expect(html).toContain('throughput and waitP99');
    expect(html).not.toMatch(/https?:\/\//i);
    const csv = (await engine.call('report.export', { target: { sweepId }, format: 'csv' })).content;
    expect(csv.split('\n').filter((line) => /^\d+,\d,\d,/.test(line))).toHaveLength(7);

    // JSON export imports into another data directory: the sweep and all its runs.
    const exported = await engine.call('report.export', { target: { sweepId }, format: 'json' });
    const other = await engines.open(await engines.tempDir());
    const imported = await other.call('runs.import', { fileName: exported.fileName, content: exported.content });
    expect(imported.sweeps).toEqual([sweepId]);
    expect(imported.runs).toHaveLength(7);
    expect((await other.call('sweeps.get', { sweepId })).sweep).toEqual(record);
  });
});
