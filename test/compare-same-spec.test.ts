import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { runSideBySide, spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

describe('compare: two runs of the same spec', () => {
  it('calls no metric significantly different', async () => {
    const engine = await engines.open(await engines.tempDir());
    const [first, second] = await runSideBySide(engine, spinSpec(1), spinSpec(1));
    expect(first.status).toBe('completed');
    expect(second.status).toBe('completed');

    const { comparison } = await engine.call('runs.compare', {
      baseline: { runIds: [first.id] },
      candidate: { runIds: [second.id] },
    });

    expect(comparison.specChanges).toEqual([]);
    const significant = comparison.rows.filter((row) => row.significant);
    expect(significant.map((row) => `${row.metric} ${row.relDiff}`)).toEqual([]);
    // The per-job distributions are compared with intervals, on percentiles as well as means, each metric once:
    // a percentile the summary reports (runP50) and the same percentile of the items are one row.
    const runTimeRows = comparison.rows.filter((row) => /^run(P\d+|Mean|Max)$/.test(row.metric));
    expect(runTimeRows.map((row) => row.metric)).toEqual(['runP50', 'runP95', 'runP99', 'runMax', 'runMean', 'runP90']);
    const names = comparison.rows.map((row) => row.metric);
    expect(new Set(names).size).toBe(names.length);
    expect(comparison.rows.find((row) => row.metric === 'runP50')!.aliases).toEqual(['runMs.p50']);
    for (const row of runTimeRows.filter((r) => ['runMean', 'runP50', 'runP90'].includes(r.metric))) {
      expect(row.basis).toBe('per-item');
      expect(row.method).toBe('block-bootstrap');
      expect(row.ci).not.toBeNull();
      expect(row.n).toEqual({ baseline: 60, candidate: 60 });
    }
    // One run per side: within-run noise only, so the verdicts are indicative and whole-run metrics get no interval.
    expect(comparison.indicative).toBe(true);
    expect(comparison.rows.find((row) => row.metric === 'throughput')?.verdict).toBe('insufficient-data');
    expect(comparison.warnings.join(' ')).toContain('Indicative (one run per side: within-run noise only)');
    expect(comparison.warnings.join(' ')).toContain('at least 2 per side');
  });
});
