import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo, CliOutput } from '../src/main/cli.js';
import { TunebenchError } from '../src/shared/errors.js';
import { workersDir } from './fixtures/pools.js';
import { exampleOnPort, exampleServices, serviceEngines } from './fixtures/services.js';

const load = { durationSec: 1, warmupSec: 0, mix: [{ path: '/health' }] };

async function refusal(call: Promise<unknown>): Promise<TunebenchError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TunebenchError);
  return error as TunebenchError;
}

function capture(): CliOutput & { text: string } {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

describe('a spec names a service and knob values, nothing more; what does not resolve starts nothing', () => {
  const engines = serviceEngines();

  it('refuses an unknown service or knob, a value out of range, and any field that would carry a command, environment or path', async () => {
    const dir = await engines.tempDir();
    const file = await exampleOnPort(exampleServices.orders, 3921, dir);
    const { engine, dataDir } = await engines.open({ servicesFiles: [file] });
    const start = (target: Record<string, unknown>) => engine.call('runs.start', { spec: { kind: 'load', target, load } });

    const unknown = await refusal(start({ type: 'service', service: 'payments' }));
    expect(unknown.code).toBe('TB_SERVICE_UNKNOWN');
    expect(unknown.message).toMatch(/^No service "payments" is defined; known services: orders\./);
    const knob = await refusal(start({ type: 'service', service: 'orders', knobs: { poolSize: 5 } }));
    expect(knob.code).toBe('TB_KNOB_INVALID');
    expect(knob.message).toBe('Service "orders" has no knob "poolSize"; its knobs: poolMax, heapMb');
    const range = await refusal(start({ type: 'service', service: 'orders', knobs: { poolMax: 500 } }));
    expect(range.message).toBe('Service "orders" knob "poolMax" must be an integer from 1 to 200, got 500');
    for (const smuggled of [{ command: ['sh', '-c', 'id'] }, { env: { PG_POOL_MAX: '1' } }, { directory: '/tmp' }, { url: 'http://127.0.0.1:1' }]) {
      const error = await refusal(start({ type: 'service', service: 'orders', ...smuggled }));
      expect(error.code).toBe('TB_INVALID_PAYLOAD');
      expect(error.message).toContain('nrecognized key');
    }
    // A knob name that is not a name (a path, an env var assignment) is refused by the schema.
    expect((await refusal(start({ type: 'service', service: 'orders', knobs: { 'PG_POOL_MAX=1 x': 1 } }))).code).toBe('TB_INVALID_PAYLOAD');

    // A sweep with one bad point starts none of them.
    const sweep = await refusal(
      engine.call('sweeps.start', {
        spec: {
          kind: 'sweep',
          base: { kind: 'load', target: { type: 'service', service: 'orders' }, load },
          axes: [{ path: 'target.knobs.poolMax', values: [5, 500] }],
          repeats: 1,
          warmup: 0,
        },
      }),
    );
    expect(sweep.code).toBe('TB_KNOB_INVALID');
    expect(engine.children.list()).toEqual([]);
    expect((await engine.call('runs.list', {})).total).toBe(0);
    expect((await engine.call('sweeps.list', {})).sweeps).toEqual([]);
    expect(await fs.readdir(path.join(dataDir, 'runs')).catch(() => [])).toEqual([]);
  });

  it('a spec file from elsewhere, run without the services file that defines its service, starts nothing and exits 2', async () => {
    const dir = await engines.tempDir();
    const specFile = path.join(dir, 'imported.json');
    await fs.writeFile(specFile, JSON.stringify({ kind: 'load', target: { type: 'service', service: 'orders', knobs: { poolMax: 20 } }, load }));
    const { main } = await import('../src/main/cli.js');
    const stdout = capture();
    const stderr = capture();
    const dataDir = path.join(dir, 'data');
    const io: CliIo = { stdout, stderr, env: { TUNEBENCH_DATA_DIR: dataDir }, workersDir };
    const code = await main(['run', specFile, '--out', dataDir], io);
    expect(code).toBe(2);
    expect(stderr.text).toMatch(/No service "orders" is defined; known services: none\. Services are defined on the Services page, in a services file named on the command line \(--services tunebench\.services\.json\)/);
    expect(await fs.readdir(path.join(dataDir, 'runs')).catch(() => [])).toEqual([]);

    // A services file that does not exist or is not valid is bad input too, before anything starts.
    const missing = capture();
    expect(await main(['run', specFile, '--out', dataDir, '--services', path.join(dir, 'nope.json')], { ...io, stderr: missing })).toBe(2);
    expect(missing.text).toMatch(/Cannot use services file .*nope\.json: ENOENT/);
    const bad = path.join(dir, 'bad.services.json');
    await fs.writeFile(bad, JSON.stringify({ services: [{ name: 'x', command: 'node server.mjs', directory: '.', url: 'http://127.0.0.1:1' }] }));
    const invalid = capture();
    expect(await main(['run', specFile, '--out', dataDir, '--services', bad], { ...io, stderr: invalid })).toBe(2);
    expect(invalid.text).toMatch(/Cannot use services file .*bad\.services\.json: services\.0\.command: /);
  });
});
