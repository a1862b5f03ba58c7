import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tunebench } from './fixtures/built.js';
import { fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

describe('tunebench sweep, when a run of it fails', () => {
  const dirs = serviceEngines();

  it('says which run failed and why as it ends, and the sweep goes on to its next run', async () => {
    const dir = await dirs.tempDir();
    const services = await writeServicesFile(dir, [
      fixtureService('never', 'never-ready.mjs', 3995, {
        ready: { type: 'http', path: '/health', timeoutSec: 1 },
        stop: { timeoutSec: 1 },
        knobs: [{ name: 'level', type: 'integer', min: 1, max: 5, default: 1, env: 'LEVEL' }],
      }),
    ]);
    const spec = path.join(dir, 'sweep.json');
    await fs.writeFile(
      spec,
      JSON.stringify({
        kind: 'sweep',
        base: { kind: 'load', target: { type: 'service', service: 'never' }, load: { durationSec: 1, warmupSec: 0, mix: [{ path: '/' }] } },
        axes: [{ path: 'target.knobs.level', values: [1, 2] }],
        repeats: 1,
        warmup: 0,
        order: 'sequential',
      }),
    );
    const result = await tunebench(['sweep', spec, '--services', services], { TUNEBENCH_DATA_DIR: path.join(dir, 'data') });
    const failures = result.stderr.match(/^ {2}run \S+ failed: Service "never" was not ready within 1 s.*$/gm) ?? [];
    expect(failures, result.stderr).toHaveLength(2);
    expect(result.stderr).toMatch(/run 1 of 2[\s\S]*failed[\s\S]*run 2 of 2[\s\S]*failed/);
  }, 60_000);
});
