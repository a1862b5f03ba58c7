import { describe, expect, it } from 'vitest';
import { drivePhase, SETTLE_MS, type Outage } from '../src/main/engine/kinds/db/driver.js';
import type { InstrumentedPool } from '../src/main/engine/kinds/db/instrumented-pool.js';

// The driver's outage rules with a stand-in operation: down stretches are given in ms from the phase start.
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function phaseDownDuring(stretches: Array<[number, number]>, { succeedOnceAfter }: { succeedOnceAfter?: number } = {}) {
  const started = performance.now();
  const phase = {
    name: 'stand-in',
    flapped: false,
    operation: async () => {
      const at = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 2));
      // A query already on a connection the server has not closed yet still succeeds now and then.
      if (succeedOnceAfter !== undefined && !phase.flapped && at >= succeedOnceAfter) {
        phase.flapped = true;
        return;
      }
      if (stretches.some(([from, to]) => at >= from && at < to)) throw refused();
    },
  };
  return phase;
}

async function drive(phase: ReturnType<typeof phaseDownDuring>, durationMs: number, maxOutageMs = 10_000) {
  const seen: Outage[] = [];
  const errors: unknown[] = [];
  const result = await drivePhase(phase, {
    pool: {} as InstrumentedPool,
    concurrency: 3,
    operations: 0,
    durationMs,
    seed: 1,
    signal: new AbortController().signal,
    onError: (error) => errors.push(error),
    onOutage: (outage) => seen.push({ ...outage }),
    maxOutageMs,
  });
  return { result, seen, errors };
}

describe('the database going away while a phase runs', () => {
  it('a short outage is ridden out: failed operations are counted, one outage is recorded with when it ended', async () => {
    const { result, seen, errors } = await drive(phaseDownDuring([[100, 400]]), 400 + SETTLE_MS + 600);
    expect(result.end).toBe('deadline');
    expect(result.outages).toHaveLength(1);
    const [outage] = result.outages;
    expect(outage!.startMs).toBeGreaterThanOrEqual(100);
    expect(outage!.endMs).toBeGreaterThanOrEqual(400);
    expect(outage!.endMs).toBeLessThan(1_000);
    expect(outage!.failed).toBeGreaterThan(0);
    expect(result.failed).toBe(outage!.failed);
    // Told twice: when it went, and when it was back.
    expect(seen.map((entry) => entry.endMs === undefined)).toEqual([true, false]);
    expect(errors).toEqual([]);
  });

  it('a success while the server is still going down does not end the outage', async () => {
    const phase = phaseDownDuring([[100, 1_200]], { succeedOnceAfter: 300 });
    const { result } = await drive(phase, 1_200 + SETTLE_MS + 600);
    expect(phase.flapped).toBe(true);
    expect(result.outages).toHaveLength(1);
    expect(result.outages[0]!.endMs).toBeGreaterThanOrEqual(1_200);
  });

  it('a server that does not come back within the limit ends the phase as lost', async () => {
    const { result } = await drive(phaseDownDuring([[100, 1e9]]), 5_000, 400);
    expect(result.end).toBe('lost');
    expect(result.stillDown).toBeUndefined();
    expect(result.elapsedMs).toBeLessThan(2_000);
    expect((result.error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('a phase whose clock ends while the server is away ends as lost, still down', async () => {
    const { result } = await drive(phaseDownDuring([[100, 1e9]]), 600);
    expect(result.end).toBe('lost');
    expect(result.stillDown).toBe(true);
    expect(result.outages[0]!.endMs).toBeUndefined();
  });
});
