import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/shared/metrics.js';
import { markersFor } from '../src/renderer/charts/chart-sets.js';

describe('charts shade the time before the measured window', () => {
  const events = (...more: RunEvent[]): RunEvent[] => [
    { t: 120, type: 'job-failed', message: 'boom' },
    { t: 1_500, type: 'measure-start', message: 'measured window began after …', data: { setupMs: 300 } },
    ...more,
  ];

  it.each(['pool', 'load', 'db', 'memory', 'some-new-kind'])('of a %s run the same way, from its start to the measure-start event', (kind) => {
    const shades = markersFor(kind, events()).filter((marker) => marker.x2 !== undefined);
    expect(shades).toEqual([{ x: 0, x2: 1.5, label: 'warm-up', tone: 'warmup' }]);
  });

  it('next to the kind\'s own markers, and not at all without a warm-up or setup', () => {
    expect(markersFor('load', events({ t: 2_000, type: 'fault', message: 'kill', data: { action: 'kill', slot: 0 } }))).toEqual([
      { x: 0, x2: 1.5, label: 'warm-up', tone: 'warmup' },
      { x: 2, label: 'kill -9 w0', tone: 'action' },
    ]);
    expect(markersFor('pool', [{ t: 0, type: 'measure-start', message: 'at once' }])).toEqual([]);
  });
});
