import { describe, expect, it } from 'vitest';
import type { Series } from '../src/shared/metrics.js';
import { chartsFor, markersFor, chartSetFor } from '../src/renderer/charts/chart-sets.js';
import { requestShares } from '../src/renderer/load/load-charts.js';
import { RecordSeriesSource } from '../src/renderer/runs/series-source.js';

const rps = (t: number[], v: number[]): Series => ({ unit: 'req/s', t, v });

describe('the load kind charts', () => {
  it('split each supervisor round into worker shares, leaving idle rounds out', () => {
    // Worker 1's reports land a fraction of a millisecond after worker 0's.
    const shares = requestShares(
      new Map([
        [0, rps([1000, 2000, 3000], [300, 0, 100])],
        [1, rps([1000.4, 2000.3, 3000.2], [100, 0, 0])],
      ]),
    );
    expect(shares.get(0)).toMatchObject({ unit: 'percent', t: [1000, 3000], v: [75, 100] });
    expect(shares.get(1)).toMatchObject({ t: [1000, 3000], v: [25, 0] });
  });

  it('draw one line per worker and mark restarts and faults on a saved run', () => {
    const record = {
      series: {
        throughput: rps([1000, 2000], [400, 420]),
        'worker.0.rps': rps([1000, 2000], [200, 0]),
        'worker.1.rps': rps([1000, 2000], [200, 420]),
        'worker.0.eld': { unit: 'ms' as const, t: [1000, 2000], v: [12, 30] },
        'worker.1.eld': { unit: 'ms' as const, t: [1000, 2000], v: [11, 14] },
      },
      events: [
        { t: 1500, type: 'fault', message: 'kill -9 worker 0', data: { action: 'kill', slot: 0 } },
        { t: 1510, type: 'worker-exit', message: 'worker 0 exited', data: { slot: 0 } },
        { t: 1620, type: 'restart', message: 'worker 0 restarted', data: { slot: 0, reason: 'crashed' } },
      ],
    };
    const source = chartSetFor('load').derive!(new RecordSeriesSource(record));
    const share = chartsFor('load', source).find((chart) => chart.id === 'share')!;
    expect(share.lines.map((line) => line.series)).toEqual(['worker.0.share', 'worker.1.share']);
    expect(source.series('worker.1.share')?.v).toEqual([50, 100]);
    expect(markersFor('load', source.events)).toEqual([
      { x: 1.5, label: 'kill -9 w0', tone: 'action' },
      { x: 1.62, label: 'restart w0', tone: 'failure' },
    ]);
  });

  it('leave the per-worker charts out of a run against a URL', () => {
    const source = new RecordSeriesSource({ series: { throughput: rps([1000], [10]) } });
    expect(chartsFor('load', chartSetFor('load').derive!(source)).map((chart) => chart.id)).toEqual(['throughput', 'latency', 'errors']);
  });
});
