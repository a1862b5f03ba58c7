import { describe, expect, it } from 'vitest';
import { analyzeSweep } from '../src/main/engine/studies/analysis.js';
import { measuredSweep } from './fixtures/measured-sweep.js';

describe('sweep analysis of a sweep stopped after one point', () => {
  const stopped = measuredSweep({ 1: [[100, 80], [102, 82], [98, 79]], 2: [], 4: [] }, 'stopped');

  it('names no knee and no best setting, and says there are not enough points', () => {
    const analysis = analyzeSweep(stopped);
    const [knee] = analysis.knees;
    expect(knee).toMatchObject({ point: null, settings: null, confidence: null });
    expect(knee!.evidence).toEqual([
      'Not enough points: only pool.threads=1 has finished runs that measured throughput; a recommendation compares at least 2 points.',
    ]);
    expect(analysis.best).toMatchObject({ point: null, settings: null, confidence: null });
    expect(analysis.best!.evidence[0]).toContain('Not enough points');
    expect(analysis.warnings[0]).toBe('2 point(s) have no finished runs: pool.threads=2; pool.threads=4.');
  });

  it('still reports the measured point with its interval', () => {
    expect(analyzeSweep(stopped).points[0]!.metrics.throughput).toMatchObject({ mean: 100, n: 3 });
  });
});
