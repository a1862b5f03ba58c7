import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RunRecorder } from '../src/main/engine/recorder.js';
import type { StreamPayload } from '../src/shared/contract.js';
import type { Finding } from '../src/shared/findings.js';

const finding = (id: string): Finding => ({ id, severity: 'warning', title: `${id} found`, evidence: [] });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

it('frames carry a run’s findings at most once a second, and only when they change', () => {
  const frames: Array<StreamPayload<'run.frame'>> = [];
  const recorder = new RunRecorder('run-1', (frame) => frames.push(frame));
  let current: Finding[] = [];
  let computed = 0;
  recorder.findLive(() => {
    computed += 1;
    return current;
  });
  recorder.declareSeries('x', 'count');
  recorder.start();
  // Nothing found yet: the empty list the page starts from needs no frame.
  vi.advanceTimersByTime(1_050);
  current = [finding('a')];
  // Ten frame ticks a second, but the rules run once a second.
  for (let i = 0; i < 25; i++) {
    recorder.sample('x', i);
    vi.advanceTimersByTime(100);
  }
  expect(computed).toBeLessThanOrEqual(4);
  const carrying = frames.filter((frame) => frame.findings);
  expect(carrying).toHaveLength(1);
  expect(carrying[0]!.findings).toEqual([finding('a')]);
  // A change goes out within a second, even in a frame with nothing else in it.
  current = [finding('a'), finding('b')];
  vi.advanceTimersByTime(1_100);
  expect(frames.filter((frame) => frame.findings).at(-1)!.findings!.map((f) => f.id)).toEqual(['a', 'b']);
  // A compute that throws costs the frame nothing.
  recorder.findLive(() => {
    throw new Error('broken rule');
  });
  recorder.sample('x', 1);
  vi.advanceTimersByTime(1_100);
  expect(frames.at(-1)!.series.x).toBeDefined();
  // The last frame (finish) carries none: the saved record has them.
  recorder.finish();
  expect(frames.at(-1)!.findings).toBeUndefined();
});
