import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/shared/metrics.js';
import { groupRepeats } from '../src/renderer/components/event-groups.js';

const rejected = (t: number): RunEvent => ({ t, type: 'job-rejected', message: 'Task queue is full (max 0 queued jobs)' });

describe('event list lines', () => {
  it('fold a run of identical events into one line with its count and last time', () => {
    const failed: RunEvent = { t: 30, type: 'job-failed', message: 'Worker crashed: ERR_WORKER_OUT_OF_MEMORY' };
    const groups = groupRepeats([rejected(10), rejected(12), rejected(20), failed, rejected(40)]);
    expect(groups.map(({ event, count, lastT }) => [event.type, event.t, count, lastT])).toEqual([
      ['job-rejected', 10, 3, 20],
      ['job-failed', 30, 1, 30],
      ['job-rejected', 40, 1, 40],
    ]);
  });

  it('keep events of the same type with different messages apart', () => {
    const groups = groupRepeats([
      { t: 1, type: 'job-failed', message: 'primes: boom' },
      { t: 2, type: 'job-failed', message: 'primes: bang' },
    ]);
    expect(groups).toHaveLength(2);
  });
});
