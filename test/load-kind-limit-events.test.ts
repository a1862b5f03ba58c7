import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { httpTargets } from './fixtures/http-target.js';

describe('a load run records what limited it', () => {
  const targets = httpTargets();
  const engines = engineFactory();

  it('as an event and a summary flag per cause, with unfinished requests next to the percentiles and labels saying what is counted', async () => {
    // 20 ms per answer: one connection carries about 50 requests/s, and a busy machine's late timers stay small beside it.
    const { url } = await targets.start((_request, response) => setTimeout(() => response.end('ok'), 20));
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'url', url },
        // A 0.5 s timeout also bounds the final drain: arrivals still queued then are unfinished.
        // No warm-up: at 50 answers/s a warm-up's backlog would fill the whole measured second, leaving no measured answer.
        load: { mode: 'open', rate: 400, connections: 1, durationSec: 1, warmupSec: 0, timeoutMs: 500 },
        sampleIntervalMs: 250,
      },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.status, record.error?.message).toBe('completed');
    const { summary, events } = record;

    expect(summary['connections.limited']!.value).toBe(1);
    expect(summary['server.limited']!.value).toBe(0);
    expect(summary['generator.limited']!.value).toBe(0);
    const limited = events.filter((event) => event.type.endsWith('-limited'));
    expect(limited.map((event) => event.type)).toEqual(['connection-limited']);
    expect(limited[0]!.message).toMatch(/^connection-limited: arrivals waited for a free connection/);
    expect(record.environment.extra?.limitedBy).toBe('connections');

    // What each count counts.
    expect(summary.requests!.label).toBe('Requests answered (sent in the measured window)');
    expect(summary.throughput!.label).toBe('Throughput (answers received per second in the measured window)');
    expect(summary['connectionWait.p90']!.value).toBeGreaterThan(10);
    expect(summary.dropped!.value).toBe(0);
    // The arrivals still waiting when it ended are unfinished, counted in the percentiles at their censored latency.
    expect(summary.unfinished!.value).toBeGreaterThan(0);
    expect(summary['unfinished.unsent']!.value).toBeGreaterThan(0);
    expect(summary.unfinishedShare!.value).toBeGreaterThan(0);
    expect(summary['latency.p99']!.label).toMatch(/unfinished counted at end − intended send/);
    // A one-second window is too short for a stable figure, and the run says so.
    expect(events.find((event) => event.type === 'short-run')?.message).toMatch(/^measured window too short for a stable figure: 1 s/);
  });
});
