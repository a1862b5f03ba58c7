import { describe, expect, it } from 'vitest';
import { analyzeSweep } from '../src/main/engine/studies/analysis.js';
import { describeConfidence } from '../src/shared/studies.js';
import { measuredSweep } from './fixtures/measured-sweep.js';

describe('sweep analysis with a single repeat at a point', () => {
  it('names the knee but says its confidence cannot be estimated, instead of claiming certainty', () => {
    const analysis = analyzeSweep(measuredSweep({ 1: [[100, 80]], 2: [[200, 45]], 4: [[400, 30]] }));
    const [knee] = analysis.knees;
    expect(knee!.settings).toEqual({ 'pool.threads': 4 });
    expect(knee!.confidence).toBeNull();
    expect(knee!.evidence.at(-1)).toBe(
      'Confidence cannot be estimated: pool.threads=1; pool.threads=2; pool.threads=4 have a single finished repeat, and a t interval needs at least 2 per point.',
    );
    expect(analysis.best!.confidence).toBeNull();
    expect(describeConfidence(knee!.confidence)).toBe('confidence cannot be estimated');
  });

  it('names only the points that lack repeats when the others have them', () => {
    const analysis = analyzeSweep(measuredSweep({ 1: [[100, 80], [101, 81]], 2: [[200, 45]] }, 'stopped'));
    expect(analysis.knees[0]!.confidence).toBeNull();
    expect(analysis.knees[0]!.evidence.at(-1)).toContain('Confidence cannot be estimated: pool.threads=2 has a single finished repeat');
  });

  it('claims no certainty from two repeats of short runs, and says what would make it decisive', () => {
    const analysis = analyzeSweep(measuredSweep({ 1: [[100, 80], [101, 81]], 2: [[200, 45], [202, 44]] }));
    const [knee] = analysis.knees;
    expect(knee!.confidence).toBeGreaterThan(0.99);
    expect(knee!.confidence).toBeLessThan(1);
    expect(knee!.decisive).toBe(false);
    expect(describeConfidence(knee!.confidence, knee!.decisive)).toBe('confidence >99%, not decisive');
    expect(knee!.toDecide).toEqual([
      'longer runs (measured windows as short as 0.1 s; at least 2 s and 200 items, several seconds better)',
      'more repeats (2 per point now, 5 recommended)',
    ]);
  });
});
