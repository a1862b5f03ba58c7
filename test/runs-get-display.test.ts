import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/shared/run-record.js';
import { engineFactory } from './fixtures/engine.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const engines = engineFactory();

function bigRun(id: string): RunRecord {
  const t = Array.from({ length: 50_000 }, (_, i) => i * 4);
  return {
    ...tinyRunRecord(id),
    series: { latencyMax: { unit: 'ms', t, v: t.map((x) => (x === 80_000 ? 250 : 3)) } },
    distributions: { runMs: { unit: 'ms', observed: 50_000, values: t.map((x) => x / 1000) } },
  };
}

describe("'runs.get' with display", () => {
  it('answers a view to draw while the plain call and compare keep the full record', async () => {
    const engine = await engines.open(await engines.tempDir());
    await engine.runStore.save(bigRun('big-a'));
    await engine.runStore.save(bigRun('big-b'));

    const { run, display } = await engine.call('runs.get', { runId: 'big-a', display: { maxPointsPerSeries: 300 } });
    expect(run.series.latencyMax!.t.length).toBeLessThanOrEqual(300);
    expect(Math.max(...run.series.latencyMax!.v)).toBe(250);
    expect(run.distributions.runMs).toEqual({ unit: 'ms', observed: 50_000, values: [] });
    expect(display).toEqual({ maxPointsPerSeries: 300, cutSeries: { latencyMax: 50_000 }, distributionValuesOmitted: true });

    const full = await engine.call('runs.get', { runId: 'big-a' });
    expect(full.display).toBeUndefined();
    expect(full.run).toEqual(bigRun('big-a'));
    const { comparison } = await engine.call('runs.compare', { baseline: { runIds: ['big-a'] }, candidate: { runIds: ['big-b'] } });
    expect(comparison.rows.find((row) => row.metric === 'runMs.p50')?.basis).toBe('per-item');
  });

  it('names the field of a bad display request', async () => {
    const engine = await engines.open(await engines.tempDir());
    await engine.runStore.save(bigRun('big-a'));
    await expect(engine.call('runs.get', { runId: 'big-a', display: { maxPointsPerSeries: 2 } })).rejects.toMatchObject({
      code: 'TB_INVALID_PAYLOAD',
      message: expect.stringContaining('display.maxPointsPerSeries'),
    });
    await expect(engine.call('runs.get', { runId: 'big-a', display: { maxPointsPerSeries: 100, everything: true } })).rejects.toMatchObject({
      code: 'TB_INVALID_PAYLOAD',
    });
  });
});
