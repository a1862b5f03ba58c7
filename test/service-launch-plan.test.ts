import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planLaunch } from '../src/main/engine/services/launch.js';
import { effectiveKnobs, knobValuesProblem, ServiceDefinitionSchema, ServicesFileSchema, type ServiceDefinitionInput } from '../src/shared/specs/services.js';

const base: ServiceDefinitionInput = {
  name: 'api',
  command: ['node', 'server.mjs', '--verbose'],
  directory: '/srv/api',
  env: { PORT: '3000', NODE_OPTIONS: '--enable-source-maps' },
  url: 'http://127.0.0.1:3000',
  knobs: [
    { name: 'poolMax', type: 'integer', min: 1, max: 200, default: 10, env: 'PG_POOL_MAX' },
    { name: 'threads', type: 'integer', min: 1, max: 16, flag: '--threads' },
    { name: 'mode', type: 'enum', values: ['fast', 'safe'], flag: '--mode', flagStyle: 'separate' },
    { name: 'trace', type: 'boolean', flag: '--trace-requests' },
    { name: 'heapMb', type: 'integer', min: 32, max: 4096, nodeOption: '--max-old-space-size' },
    { name: 'gcExpose', type: 'boolean', nodeOption: '--expose-gc' },
    { name: 'ratio', type: 'number', min: 0, max: 1, env: 'CACHE_RATIO' },
  ],
};
const definition = ServiceDefinitionSchema.parse(base);
const probe = { preload: '/opt/tunebench/out/main/workers/probe-preload.js', socketPath: '/tmp/tb-probe-x/s', token: 'secret', intervalMs: 500 };

describe('how a definition and knob values become a process', () => {
  it('runs "node" as the host runtime, puts each knob where it is declared, the probe in NODE_OPTIONS, and keeps the workbench\'s own variables out', () => {
    const plan = planLaunch({
      definition,
      knobs: { poolMax: 20, threads: 4, mode: 'safe', trace: true, heapMb: 256, gcExpose: false, ratio: 0.5 },
      nodeCommand: () => '/usr/local/bin/node',
      probe,
      databaseUrl: 'postgres://u:p@127.0.0.1:5432/d',
      baseEnv: { PATH: '/usr/bin', HOME: '/root', NODE_OPTIONS: '--inspect', TUNEBENCH_DATA_DIR: '/x', NODE_CHANNEL_FD: '3' },
    });
    expect(plan.command).toBe('/usr/local/bin/node');
    expect(plan.args).toEqual(['server.mjs', '--verbose', '--threads=4', '--mode', 'safe', '--trace-requests']);
    expect(plan.cwd).toBe('/srv/api');
    expect(plan.env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/root',
      PORT: '3000',
      PG_POOL_MAX: '20',
      CACHE_RATIO: '0.5',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/d',
      TUNEBENCH_PROBE_SOCKET: '/tmp/tb-probe-x/s',
      TUNEBENCH_PROBE_TOKEN: 'secret',
      TUNEBENCH_PROBE_INTERVAL_MS: '500',
    });
    expect(plan.env.NODE_OPTIONS).toBe(`--enable-source-maps --max-old-space-size=256 --import=${pathToFileURL(probe.preload).href}`);
    expect(plan.env).not.toHaveProperty('TUNEBENCH_DATA_DIR');
    expect(plan.env).not.toHaveProperty('NODE_CHANNEL_FD');
    expect(plan.setVariables).toEqual(expect.arrayContaining(['PORT', 'PG_POOL_MAX', 'DATABASE_URL', 'NODE_OPTIONS']));
  });

  it('runs any other program as given, and a false boolean flag or Node option is left out', () => {
    const other = ServiceDefinitionSchema.parse({ ...base, command: ['./bin/api', 'serve'], env: {} });
    const plan = planLaunch({ definition: other, knobs: { trace: false, gcExpose: true }, nodeCommand: () => '/never', baseEnv: {} });
    expect(plan.command).toBe('./bin/api');
    expect(plan.args).toEqual(['serve']);
    expect(plan.env).toEqual({ NODE_OPTIONS: '--expose-gc' });
  });

  it('a path with spaces reaches NODE_OPTIONS as one file URL', () => {
    const plan = planLaunch({ definition, knobs: {}, nodeCommand: () => 'node', probe: { ...probe, preload: '/my apps/tb/probe-preload.js' }, baseEnv: {} });
    expect(plan.env.NODE_OPTIONS).toBe('--enable-source-maps --import=file:///my%20apps/tb/probe-preload.js');
  });
});

describe('knob values are checked against the declaration', () => {
  it.each([
    [{ poolMax: 20 }, undefined],
    [{ poolMax: 0 }, 'knob "poolMax" must be an integer from 1 to 200, got 0'],
    [{ poolMax: 2.5 }, 'knob "poolMax" must be an integer from 1 to 200, got 2.5'],
    [{ poolMax: '20' }, 'knob "poolMax" must be an integer from 1 to 200, got "20"'],
    [{ ratio: 1.5 }, 'knob "ratio" must be a number from 0 to 1, got 1.5'],
    [{ mode: 'turbo' }, 'knob "mode" must be one of "fast", "safe", got "turbo"'],
    [{ trace: 'yes' }, 'knob "trace" must be true or false, got "yes"'],
    [{ poolSize: 5 }, 'has no knob "poolSize"; its knobs: poolMax, threads, mode, trace, heapMb, gcExpose, ratio'],
  ])('%j → %s', (values, problem) => {
    expect(knobValuesProblem(definition, values)).toBe(problem);
  });

  it('a knob the spec leaves out takes its default, or is left to the service', () => {
    expect(effectiveKnobs(definition, { threads: 2 })).toEqual({ poolMax: 10, threads: 2 });
  });
});

describe('a definition is refused when it could do what a knob must not', () => {
  const refused = (change: Record<string, unknown>) => ServiceDefinitionSchema.safeParse({ ...base, ...change }).success;
  it.each([
    ['an environment variable name with a space', { env: { 'MY VAR': '1' } }],
    ["Tunebench's own variables", { env: { TUNEBENCH_PROBE_SOCKET: '/tmp/x' } }],
    ['a knob with two targets', { knobs: [{ name: 'x', type: 'integer', min: 1, max: 2, env: 'X', flag: '--x' }] }],
    ['a knob with no target', { knobs: [{ name: 'x', type: 'boolean' }] }],
    ['a flag that does not start with -', { knobs: [{ name: 'x', type: 'boolean', flag: 'x' }] }],
    ['a flag with a value built in', { knobs: [{ name: 'x', type: 'integer', min: 1, max: 2, flag: '--x=1' }] }],
    ['a Node option that is not an option', { knobs: [{ name: 'x', type: 'integer', min: 1, max: 2, nodeOption: 'max-old-space-size' }] }],
    ['an enum value with a space (NODE_OPTIONS would split it)', { knobs: [{ name: 'x', type: 'enum', values: ['a b'], nodeOption: '--x' }] }],
    ['a default outside the range', { knobs: [{ name: 'x', type: 'integer', min: 1, max: 2, default: 3, env: 'X' }] }],
    ['a knob name a sweep axis cannot name', { knobs: [{ name: 'pool.max', type: 'integer', min: 1, max: 2, env: 'X' }] }],
    ['a knob setting a fixed variable', { env: { X: '1' }, knobs: [{ name: 'x', type: 'integer', min: 1, max: 2, env: 'X' }] }],
    ['an empty command', { command: [] }],
    ['a shell string is fine as one argument but an unknown field is not', { shell: true }],
  ])('%s', (_what, change) => {
    expect(refused(change)).toBe(false);
  });

  it('a services file names each service once', () => {
    const file = ServicesFileSchema.safeParse({ services: [base, base] });
    expect(file.success).toBe(false);
  });
});
