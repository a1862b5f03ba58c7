import { describe, expect, it } from 'vitest';
import { analyzeSweep } from '../src/main/engine/studies/analysis.js';
import { measuredSweep } from './fixtures/measured-sweep.js';

describe('sweep analysis', () => {
  const sweep = measuredSweep({
    1: [[100, 80], [102, 82], [98, 79]],
    2: [[196, 45], [200, 44], [204, 46]],
    4: [[390, 30], [400, 31], [410, 29]],
    8: [[405, 60], [395, 61], [400, 62]],
  });

  it('names the knee: the smallest setting within 5% of the best throughput, with its evidence', () => {
    const analysis = analyzeSweep(sweep);
    expect(analysis.metric).toBe('throughput');
    expect(analysis.latencyMetric).toBe('waitP99');
    expect(analysis.knees).toHaveLength(1);
    const [knee] = analysis.knees;
    expect(knee!.settings).toEqual({ 'pool.threads': 4 });
    expect(knee!.confidence).toBeGreaterThan(0.9);
    expect(knee!.evidence[0]).toContain('pool.threads=4 is 400 jobs/s, within 5% of the best');
    expect(knee!.evidence[1]).toContain('Smaller pool.threads settings reach 100 jobs/s (1), 200 jobs/s (2)');
  });

  it('names the best setting under a target, and none when no setting meets it', () => {
    const under50 = analyzeSweep(sweep, { target: { metric: 'waitP99', op: '<', value: 50 } });
    expect(under50.best?.settings).toEqual({ 'pool.threads': 4 });
    expect(under50.best?.evidence.join(' ')).toContain('Not meeting waitP99 < 50 ms: pool.threads=1; pool.threads=8');
    const under40 = analyzeSweep(sweep, { target: { metric: 'waitP99', op: '<', value: 20 } });
    expect(under40.best).toMatchObject({ point: null, confidence: null });
    expect(under40.best?.evidence[0]).toBe('No setting met waitP99 < 20 ms.');
  });

  it("gives every point its mean and Student's t interval over the repeats, wider than their range at n = 3", () => {
    const point = analyzeSweep(sweep).points[1]!;
    expect(point.metrics.throughput).toMatchObject({ mean: 200, n: 3 });
    // 196, 200, 204: s = 4, t(0.975, 2) = 4.303 → 200 ± 9.94.
    expect(point.metrics.throughput!.low).toBeCloseTo(190.06, 2);
    expect(point.metrics.throughput!.high).toBeCloseTo(209.94, 2);
  });

  it('is less confident when repeats overlap', () => {
    const noisy = measuredSweep({ 1: [[100, 1], [300, 1], [200, 1]], 2: [[180, 1], [320, 1], [250, 1]], 4: [[260, 1], [240, 1], [250, 1]] });
    const [knee] = analyzeSweep(noisy).knees;
    expect(knee!.confidence).toBeLessThan(0.9);
  });

  it('rejects an unknown metric by name', () => {
    expect(() => analyzeSweep(sweep, { metric: 'speed' })).toThrow('no metric "speed" in this sweep; metrics: throughput, waitP99');
  });
});

describe('sweep analysis: decisive only from enough repeats of long runs', () => {
  it('calls a clear knee decisive with 5 repeats of 10 s runs', () => {
    const five = (base: number) => [0.98, 0.99, 1, 1.01, 1.02].map((f): [number, number] => [base * f, 50]);
    const analysis = analyzeSweep(measuredSweep({ 1: five(100), 2: five(200), 4: five(400), 8: five(402) }, 'completed', 10_000));
    const [knee] = analysis.knees;
    expect(knee!.settings).toEqual({ 'pool.threads': 4 });
    expect(knee!.decisive).toBe(true);
    expect(knee!.toDecide).toBeUndefined();
    expect(knee!.evidence.at(-1)).toMatch(/^Confidence >99% that this knee holds \(Student's t on 5 repeats per point, as Compare judges\); decisive\.$/);
    expect(analysis.warnings).toEqual([]);
  });

  it('warns that short runs make nothing decisive', () => {
    const analysis = analyzeSweep(measuredSweep({ 1: [[100, 80], [101, 81]], 2: [[200, 45], [202, 44]] }));
    expect(analysis.warnings.join(' ')).toContain('Runs measured as little as 0.1 s: too short for a stable figure');
    expect(analysis.best!.decisive).toBe(false);
  });
});
