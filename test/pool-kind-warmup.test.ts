import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/shared/run-record.js';
import { engineFactory } from './fixtures/engine.js';

describe('pool kind: the measured window', () => {
  const engines = engineFactory();

  async function run(spec: Record<string, unknown>): Promise<RunRecord> {
    const engine = await engines.open(await engines.tempDir());
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'pool', task: { name: 'spin', params: { ms: 3 } }, pool: { implementation: 'simple', threads: 2, maxQueue: 100 }, ...spec },
    });
    return (await engine.runs.wait(runId))!;
  }

  it.each(['piscina', 'simple'])('starts its clock when every %s thread is up: no job waits for a thread to start', async (implementation) => {
    const record = await run({ pool: { implementation, threads: 4, maxQueue: 100 }, jobs: 24, concurrency: 4, warmupSec: 0 });
    expect(record.status, record.error?.message).toBe('completed');
    const { summary, events } = record;
    expect(summary.setupSec!.value).toBeGreaterThan(0);
    const start = events.find((event) => event.type === 'measure-start');
    expect(start?.data).toMatchObject({ warmupJobs: 0 });
    const setupMs = start!.data!.setupMs as number;
    expect(setupMs).toBeGreaterThan(0);
    // Four jobs in flight on four started threads: before, the first four waited for their threads, as long as the
    // start-up itself. A busy machine may delay a warm thread a little, so the bound is the start-up or 25 ms.
    expect(summary.waitMax!.value).toBeLessThan(Math.max(25, setupMs));
  });

  it('leaves a warm-up of jobs out of the results, not out of the series', async () => {
    const record = await run({ jobs: 60, concurrency: 2, warmupJobs: 20, sampleIntervalMs: 50 });
    const { summary, distributions, series, events } = record;
    expect(summary.completed!.value).toBe(60);
    expect(summary.warmupJobs!.value).toBe(20);
    expect(summary.measuredJobs!.value).toBe(40);
    expect(distributions.runMs!.observed).toBe(40);
    expect(distributions.waitMs!.values).toHaveLength(40);
    // Throughput is the measured jobs over the measured window.
    // Within the rounding of the reported duration (whole milliseconds of a window of tens of them).
    const expected = 40 / summary.duration!.value;
    expect(Math.abs(summary.throughput!.value - expected) / expected).toBeLessThan(0.03);
    expect(series.completed!.v.at(-1)).toBe(60);
    const start = events.find((event) => event.type === 'measure-start')!;
    expect(start.data).toMatchObject({ warmupJobs: 20 });
    // The warm-up's samples are there to see (the charts shade them).
    expect(series.completed!.t.some((t) => t <= start.t)).toBe(true);
  });

  it('ends a warm-up by time, and by default at the first of 1 s and a tenth of the jobs', async () => {
    const timed = await run({ jobs: 300, concurrency: 2, warmupSec: 0.3 });
    const start = timed.events.find((event) => event.type === 'measure-start')!;
    expect(start.data!.warmupMs).toBeGreaterThanOrEqual(290);
    expect(start.t - (start.data!.setupMs as number)).toBeGreaterThanOrEqual(290);
    expect(timed.summary.warmupJobs!.value).toBeGreaterThan(0);
    expect(timed.summary.warmupJobs!.value + timed.summary.measuredJobs!.value).toBe(300);

    const byDefault = await run({ jobs: 100, concurrency: 2 });
    expect(byDefault.summary.warmupJobs!.value).toBe(10);
    expect(byDefault.summary.measuredJobs!.value).toBe(90);
  });

  it('warns when the measured window is too short for a stable figure, or never began', async () => {
    const short = await run({ jobs: 30, concurrency: 2 });
    const warning = short.events.find((event) => event.type === 'short-run');
    expect(warning?.message).toMatch(/^measured window too short for a stable figure: [\d.]+ s and 27 jobs/);

    const inWarmup = await run({ jobs: 20, concurrency: 2, warmupSec: 30 });
    expect(inWarmup.status).toBe('completed');
    expect(inWarmup.events.some((event) => event.type === 'measure-start')).toBe(false);
    expect(inWarmup.events.find((event) => event.type === 'short-run')?.message).toMatch(/^the run ended during its warm-up/);
    // Its figures then are the warm-up's, and it says so.
    expect(inWarmup.summary.measuredJobs!.label).toMatch(/warm-up/);
  });
});
