import { describe, expect, it } from 'vitest';
import { smallSampleDifference } from '../src/main/engine/studies/small-sample.js';
import { SeededRandom } from '../src/shared/random.js';

const SIMULATIONS = 2_000;

/** Share of 95% intervals that cover the true ratio, for lognormal per-run values (run-to-run noise is multiplicative). */
function coverage(na: number, nb: number, sigmaA: number, sigmaB: number, seed: number): number {
  const random = new SeededRandom(seed);
  const trueRatio = Math.exp(0.2);
  let covered = 0;
  for (let i = 0; i < SIMULATIONS; i++) {
    const a = Array.from({ length: na }, () => 100 * Math.exp(sigmaA * random.normal()));
    const b = Array.from({ length: nb }, () => 100 * Math.exp(0.2 + sigmaB * random.normal()));
    const { relCi } = smallSampleDifference(a, b, 0.95);
    if (relCi!.low <= trueRatio - 1 && trueRatio - 1 <= relCi!.high) covered++;
  }
  return covered / SIMULATIONS;
}

// 2,000 simulations: a true 95% lands within ±1.5 points (3 standard errors) of 95%.
describe('small-sample intervals cover the true ratio', () => {
  it.each([2, 3, 5])('at n = %d per side, in about 95%% of lognormal samples', (n) => {
    for (const sigma of [0.05, 0.3]) {
      const share = coverage(n, n, sigma, sigma, 100 + n);
      expect(share, `sigma ${sigma}`).toBeGreaterThan(0.935);
      expect(share, `sigma ${sigma}`).toBeLessThan(0.965);
    }
  });

  it('at equal n with twice the spread on one side, still near 95% (pooled t is robust at equal n)', () => {
    for (const n of [2, 3, 5]) expect(coverage(n, n, 0.1, 0.2, 200 + n), `n ${n}`).toBeGreaterThan(0.92);
  });

  it("at unequal n (Welch's t) and with a single run on one side, at least about 95%", () => {
    expect(coverage(2, 5, 0.1, 0.2, 301)).toBeGreaterThan(0.935);
    expect(coverage(5, 3, 0.2, 0.1, 302)).toBeGreaterThan(0.935);
    const single = coverage(1, 5, 0.1, 0.1, 303);
    expect(single).toBeGreaterThan(0.935);
    expect(single).toBeLessThan(0.965);
  });
});
