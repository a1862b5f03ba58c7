import { describe, expect, it } from 'vitest';
import { smallSampleDifference, studentQuantile, tMeanInterval } from '../src/main/engine/studies/small-sample.js';

/**
 * Known answers from SciPy 1.17 (stats.t.ppf; stats.ttest_ind(candidate, baseline,
 * equal_var=...).confidence_interval(0.95), on log values where all are positive).
 */
describe('small-sample intervals: known answers', () => {
  it.each([
    [0.975, 1, 12.706204736174694],
    [0.975, 2, 4.302652729749462],
    [0.975, 4, 2.7764451051977934],
    [0.975, 8, 2.306004135204166],
    [0.995, 3, 5.840909309733355],
    [0.975, 1.5, 6.016663104427929],
    [0.9995, 3.7, 9.474240137124664],
    [0.975, 1000, 1.9623390808264083],
    [0.999, 2, 22.327124770119866],
  ])('t quantile p=%d, df=%d is %d', (p, df, expected) => {
    expect(studentQuantile(p, df)).toBeCloseTo(expected, 9);
    expect(studentQuantile(1 - p, df)).toBeCloseTo(-expected, 9);
  });

  it.each([
    // method, baseline, candidate, centre (geometric or arithmetic means), interval (relative on logs, absolute otherwise), df
    ['student-t-log', [100, 104, 98], [110, 115, 108], [100.63594713918444, 110.96127209934097], [0.027144601392712575, 0.1836000898858554], 4],
    ['welch-t-log', [10.2, 11.0], [12.1, 12.9, 11.7, 12.4, 13.0], [10.592450141492286, 12.41038332541424], [-0.07553073277216293, 0.4848584569772578], 1.58975870725807],
    ['student-t', [0, 1, 0], [2, 3, 1], [1 / 3, 2], [-0.1842967367985291, 3.5176300701318626], 4],
    ['welch-t', [0, 2], [1, 4, 2, 5], [1, 3], [-2.5611941056932475, 6.5611941056932475], 2.7293233082706765],
    ['student-t-log', [50], [48, 52, 51, 49], [50, 49.97498924011399], [-0.1223329542946151, 0.13824465064300462], 3],
    ['student-t-log', [5.0, 5.5], [6.0, 6.3], [5.244044240850758, 6.148170459575759], [-0.06880469616846185, 0.4761086625863422], 2],
  ] as const)('%s: %j versus %j', (method, a, b, [baseline, candidate], [low, high], df) => {
    const result = smallSampleDifference(a, b, 0.95);
    expect(result.method).toBe(method);
    expect(result.baseline).toBeCloseTo(baseline, 9);
    expect(result.candidate).toBeCloseTo(candidate, 9);
    expect(result.df).toBeCloseTo(df, 9);
    if (method.endsWith('-log')) {
      expect(result.relCi!.low).toBeCloseTo(low, 9);
      expect(result.relCi!.high).toBeCloseTo(high, 9);
      expect(result.relDiff).toBeCloseTo(candidate / baseline - 1, 12);
      expect(result.ci.low).toBeCloseTo(baseline * low, 9);
    } else {
      expect(result.ci.low).toBeCloseTo(low, 9);
      expect(result.ci.high).toBeCloseTo(high, 9);
      expect(result.relCi!.low).toBeCloseTo(low / baseline, 9);
      expect(result.relCi!.high).toBeCloseTo(high / baseline, 9);
    }
  });

  it('reaches well beyond the data range at n = 3, where a bootstrap of the values could not', () => {
    // Mean 200, s = 4: 200 ± 4.303 · 4/√3.
    const { estimate, interval } = tMeanInterval([196, 200, 204], 0.95);
    expect(estimate).toBe(200);
    expect(interval.low).toBeCloseTo(200 - (4.302652729749462 * 4) / Math.sqrt(3), 9);
    expect(interval.high).toBeCloseTo(200 + (4.302652729749462 * 4) / Math.sqrt(3), 9);
    expect(tMeanInterval([7], 0.95).interval).toEqual({ low: 7, high: 7 });
  });

  it('gives identical sides a zero-width interval at zero and refuses a single run per side', () => {
    const same = smallSampleDifference([60, 60, 60], [60, 60, 60], 0.95);
    expect(same.relCi).toEqual({ low: 0, high: 0 });
    const zeros = smallSampleDifference([0, 0], [0, 0], 0.95);
    expect(zeros).toMatchObject({ method: 'student-t', diff: 0, ci: { low: 0, high: 0 }, relDiff: null, relCi: null });
    expect(() => smallSampleDifference([1], [2], 0.95)).toThrow('at least 2 runs on one side');
  });
});
