import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../src/main/engine/recorder.js';

describe('recorder time axis', () => {
  it('an event is never placed before a sample taken just before it (one resolution for both)', () => {
    // Whole-millisecond events once put 'measure-start' at 45 after the warm-up's last sample at 45.4,
    // so the charts' warm-up shade missed that sample. Many tries cover every sub-millisecond phase.
    for (let attempt = 0; attempt < 2_000; attempt++) {
      const recorder = new RunRecorder('run', () => {});
      recorder.declareSeries('completed', 'count');
      recorder.sample('completed', attempt);
      recorder.event('measure-start', 'measured window began');
      const { series, events } = recorder.snapshot();
      expect(events[0]!.t).toBeGreaterThanOrEqual(series.completed!.t[0]!);
    }
  });
});
