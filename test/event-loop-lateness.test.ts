import { describe, expect, it } from 'vitest';
import { MainThreadProbe } from '../src/main/engine/kinds/pool/main-thread-probe.js';
import { LatenessSampler, latenessMs } from '../src/shared/event-loop-delay.js';
import type { ProbeBatch } from '../src/shared/runtime.js';
import { startProbe } from '../src/node/probe/probe.js';

const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Nothing else runs on this loop meanwhile.
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event-loop delay as lateness', () => {
  it('is the time between ticks beyond the resolution, floored at 0', () => {
    expect(latenessMs(10.25, 10)).toBeCloseTo(0.25, 9);
    expect(latenessMs(310, 10)).toBe(300);
    expect(latenessMs(9.5, 10)).toBe(0);
  });

  it('keeps the tick that spans a read: the interval of a long block shows it', () => {
    let now = 0;
    const sampler = new LatenessSampler(10, () => now);
    for (const at of [10, 20, 30]) {
      now = at;
      sampler.tick();
    }
    expect(sampler.take()).toMatchObject({ count: 3, max: 0, p99: 0 });
    // The loop blocks right after the read; the only tick of the next interval is the late one.
    now = 340;
    sampler.tick();
    expect(sampler.take()).toMatchObject({ count: 1, p50: 300, p99: 300, max: 300, mean: 300 });
    expect(sampler.take()).toBeUndefined();
  });

  it('stays bounded on a long interval, with count, max and mean exact', () => {
    let now = 0;
    const sampler = new LatenessSampler(1, () => now, { maxSamples: 16 });
    for (let i = 1; i <= 1000; i++) {
      now += i === 500 ? 51 : 1;
      sampler.tick();
    }
    const delay = sampler.take()!;
    expect(delay.count).toBe(1000);
    expect(delay.max).toBe(50);
    expect(delay.mean).toBeCloseTo(50 / 1000, 9);
    expect(delay.p50).toBe(0);
  });

  it('reads about 0 on an idle loop and the whole block after a read, in the engine and in the runtime probe', async () => {
    const engine = new MainThreadProbe();
    const batches: ProbeBatch[] = [];
    const stop = startProbe({ intervalMs: 250, batchMs: 250, send: (batch) => void batches.push(batch) });
    try {
      await sleep(300);
      const idle = engine.take();
      // monitorEventLoopDelay read about 10 ms here (its resolution); a busy shared machine may add a few ms, still far
      // below the 150 ms a block must show.
      expect(idle.eldP50).toBeLessThan(10);
      // A block right after a read: perf_hooks' histogram, reset by that read, recorded nothing of it.
      block(200);
      await sleep(30);
      const blocked = engine.take();
      expect(blocked.eldMax).toBeGreaterThanOrEqual(150);
      expect(engine.overall().eldMax).toBeGreaterThanOrEqual(150);
      await sleep(600);
    } finally {
      stop();
      engine.dispose();
    }
    const eld = batches.flatMap((batch) => batch.samples).map((sample) => sample.eld!);
    expect(Math.min(...eld.map((value) => value.p50))).toBeLessThan(10);
    expect(Math.max(...eld.map((value) => value.max))).toBeGreaterThanOrEqual(150);
  });
});
