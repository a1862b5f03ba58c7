import { describe, expect, it } from 'vitest';
import type { StreamPayload } from '../src/shared/contract.js';
import { engineFactory } from './fixtures/engine.js';
import { spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

describe('stopping a sweep', () => {
  it('stops the current run, keeps the finished ones, and is saved as stopped', async () => {
    const dataDir = await engines.tempDir();
    const engine = await engines.open(dataDir);
    const { sweepId } = await engine.call('sweeps.start', {
      spec: { kind: 'sweep', base: spinSpec(1, 40), axes: [{ path: 'pool.threads', values: [1, 2, 3] }], repeats: 2, warmup: 0 },
    });
    // Stop while the third run is in progress.
    await new Promise<void>((resolve) => {
      const unsubscribe = engine.onStream((stream, payload) => {
        if (stream === 'sweep.progress' && (payload as StreamPayload<'sweep.progress'>).done === 2) {
          unsubscribe();
          resolve();
        }
      });
    });
    expect(await engine.call('sweeps.stop', { sweepId })).toEqual({ sweepId, status: 'stopped' });

    const { sweep } = await engine.call('sweeps.get', { sweepId });
    expect(sweep.status).toBe('stopped');
    expect(sweep.runs.map((run) => run.status)).toEqual(['completed', 'completed', 'stopped']);
    expect(sweep.totalRuns).toBe(6);
    await expect(engine.call('sweeps.stop', { sweepId })).rejects.toMatchObject({ code: 'TB_SWEEP_NOT_ACTIVE' });

    // A new engine on the same data directory finds it as it was left.
    const reopened = await engines.open(dataDir);
    const listed = (await reopened.call('sweeps.list', {})).sweeps;
    expect(listed).toEqual([expect.objectContaining({ id: sweepId, status: 'stopped', runsDone: 3, totalRuns: 6, points: 3 })]);
    await expect(reopened.call('sweeps.get', { sweepId: 'no-such-sweep' })).rejects.toMatchObject({ code: 'TB_SWEEP_NOT_FOUND' });
    await expect(reopened.call('sweeps.start', { spec: { kind: 'sweep', base: spinSpec(1), axes: [{ path: 'pool.threads', values: [0] }] } })).rejects.toMatchObject({
      code: 'TB_INVALID_PAYLOAD',
    });
  });
});
