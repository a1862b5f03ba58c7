import { describe, expect, it } from 'vitest';
import type { LoadInterval } from '../src/shared/cluster-protocol.js';
import { engineFactory } from './fixtures/engine.js';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

describe('the measured window', () => {
  const targets = httpTargets();
  const engines = engineFactory();

  it('is split exactly by its intervals, after the warm-up and with none after its end', async () => {
    const { url } = await targets.start((_request, response) => setTimeout(() => response.end('ok'), 5));
    const intervals: LoadInterval[] = [];
    let measuringAfter = -1;
    const result = await generate(
      url,
      { connections: 4, durationSec: 0.9, warmupSec: 0.3 },
      { measuring: () => (measuringAfter = intervals.length), interval: (interval) => intervals.push(interval) },
    );

    const warmup = intervals.filter((i) => i.phase === 'warmup');
    const measured = intervals.filter((i) => i.phase === 'measure');
    // Warm-up intervals come first and end where the window starts (which is announced there).
    expect(intervals).toEqual([...warmup, ...measured]);
    expect(measuringAfter).toBe(warmup.length);
    expect(warmup.length).toBeGreaterThan(0);
    // The window's intervals add up to the window, and hold exactly the answers the achieved rate counts.
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(measured.map((i) => i.durationMs))).toBeCloseTo(result.durationMs, 6);
    expect(sum(measured.map((i) => i.requests))).toBe(Math.round((result.rps * result.durationMs) / 1000));
    expect(measured.at(-1)!.elapsedMs).toBeCloseTo(warmup.at(-1)!.elapsedMs + result.durationMs, 6);
  });

  it('records throughput 0 and no latency point for intervals without answers', async () => {
    let answered = 0;
    // Answers its first 30 requests, then none: the rest of the run has intervals without answers.
    const { url } = await targets.start((_request, response) => {
      if (answered < 30) {
        answered++;
        response.end('ok');
      }
    });
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'url', url },
        load: { connections: 2, durationSec: 1, warmupSec: 0, timeoutMs: 300 },
        sampleIntervalMs: 200,
      },
    });
    const record = await engine.runs.wait(runId)!;

    const throughput = record.series.throughput!;
    const latency = record.series['latency.p50']!;
    expect(throughput.v.filter((v) => v === 0).length).toBeGreaterThanOrEqual(2);
    expect(latency.t).toEqual(throughput.t.filter((_, i) => throughput.v[i]! > 0));
    expect(Math.min(...latency.v)).toBeGreaterThan(0);
    expect(record.summary.requests!.value).toBe(30);
    expect(record.summary['errors.timeout']!.value).toBeGreaterThan(0);
    // The record says when the window began and how long setup and warm-up took before it.
    expect(record.events.filter((e) => e.type === 'measure-start')).toHaveLength(1);
    expect(record.summary.setupSec!.value).toBeGreaterThan(0);
  });
});
