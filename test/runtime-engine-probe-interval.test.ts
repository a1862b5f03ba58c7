import os from 'node:os';
import { expect, test } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { workersDir } from './fixtures/pools.js';

test('an engine probe interval outside 100 ms .. 60 s is refused before the engine starts anything', async () => {
  for (const bad of [50, 60_001, 1.5, Number.NaN]) {
    await expect(Engine.create({ dataDir: os.tmpdir(), workersDir, host: 'test', runtimeProbeIntervalMs: bad })).rejects.toMatchObject({
      code: 'TB_OPTION_OUT_OF_RANGE',
      message: expect.stringMatching(/^runtimeProbeIntervalMs must be a whole number of milliseconds from 100 to 60000, got /),
    });
  }
});
