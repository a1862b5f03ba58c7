import { describe, expect, it } from 'vitest';
import { findRegressions } from '../src/main/engine/studies/compare.js';
import { engineFactory } from './fixtures/engine.js';
import { runSideBySide, spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

describe('compare: 1 thread versus 2 on a CPU task', () => {
  it('calls the slower setting significantly worse in queue wait, with the changed setting named', async () => {
    const engine = await engines.open(await engines.tempDir());
    const [two, one] = await runSideBySide(engine, spinSpec(2, 100), spinSpec(1, 100));

    // Judged even if other tests kept the machine busy: the statistics are what this test is about.
    const { comparison } = await engine.call('runs.compare', {
      baseline: { runIds: [two.id] },
      candidate: { runIds: [one.id] },
      allowNoisy: true,
    });

    expect(comparison.specChanges).toContainEqual({ path: 'pool.threads', baseline: 2, candidate: 1 });
    const waitP50 = comparison.rows.find((row) => row.metric === 'waitP50')!;
    expect(waitP50.significant).toBe(true);
    expect(waitP50.verdict).toBe('worse');
    expect(waitP50.relCi!.low).toBeGreaterThan(0.03);

    expect(findRegressions(comparison, 3).map((r) => r.row.metric)).toContain('waitP50');
    expect(findRegressions(comparison, 3, ['throughput'])).toEqual([]);
    // The name the row had before each metric got one row still selects it.
    expect(findRegressions(comparison, 3, ['waitMs.p50']).map((r) => r.row.metric)).toEqual(['waitP50']);
    // 100 jobs are too few to judge a p99: it is shown without an interval.
    expect(comparison.rows.find((row) => row.metric === 'waitP99')).toMatchObject({ basis: 'none', verdict: 'insufficient-data' });
  });
});
