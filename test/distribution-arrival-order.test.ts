import { describe, expect, it } from 'vitest';
import { RESERVOIR_SIZE, RunRecorder } from '../src/main/engine/recorder.js';
import { OrderedReservoir } from '../src/shared/ordered-reservoir.js';
import { xorshift32 } from '../src/shared/random.js';
import { newLatencySample } from '../src/workers/load/generator.js';

/** The kept values of a stream 0, 1, 2, … are its arrival indices: sorted means in time order. */
function expectTimeOrderedUniform(values: number[], capacity: number, total: number): void {
  expect(values).toHaveLength(capacity);
  for (let i = 1; i < values.length; i++) if (values[i]! <= values[i - 1]!) throw new Error(`out of order at ${i}: ${values[i - 1]} then ${values[i]}`);
  // Uniform over the whole stream: each tenth of the run keeps about a tenth of the sample.
  const tenths = Array<number>(10).fill(0);
  for (const v of values) tenths[Math.floor((v * 10) / total)]!++;
  for (const count of tenths) expect(Math.abs(count - capacity / 10)).toBeLessThan(capacity * 0.015);
}

describe('per-item samples keep their time order', () => {
  it('the recorder saves its 20,000-value reservoir of a 200,000-item run in arrival order', () => {
    const recorder = new RunRecorder('run', () => {});
    for (let i = 0; i < 200_000; i++) recorder.observe('runMs', 'ms', i, 'Run time');
    const { distributions } = recorder.snapshot();
    expect(distributions.runMs).toMatchObject({ unit: 'ms', label: 'Run time', observed: 200_000 });
    expectTimeOrderedUniform(distributions.runMs!.values, RESERVOIR_SIZE, 200_000);
  });

  it("the load generator's 5,000-value latency sample is in arrival order", () => {
    const reservoir = newLatencySample();
    for (let i = 0; i < 100_000; i++) reservoir.add(i);
    expectTimeOrderedUniform(reservoir.ordered(), 5_000, 100_000);
  });

  it('keeps everything, in order, until full, and is the same for the same seed', () => {
    const small = new OrderedReservoir(10, xorshift32(1));
    for (const v of [5, 3, 9]) small.add(v);
    expect(small.ordered()).toEqual([5, 3, 9]);
    const again = (seed: number) => {
      const r = new OrderedReservoir(100, xorshift32(seed));
      for (let i = 0; i < 10_000; i++) r.add(i);
      return r.ordered();
    };
    expect(again(7)).toEqual(again(7));
    expect(again(7)).not.toEqual(again(8));
  });
});
