import { describe, expect, it } from 'vitest';
import { describeZodError } from '../src/shared/validation.js';
import { parseSpecFile } from '../src/shared/specs/spec-file.js';
import { LoadSpecSchema } from '../src/shared/specs/load.js';
import { specFileJsonSchema, SweepSpecSchema } from '../src/shared/specs/sweep.js';
import { engineFactory } from './fixtures/engine.js';

const WHERE_NOW = 'is no longer a spec setting: choose the Node runtime with --node <path> (CLI, web host) or "nodePath" in the desktop app\'s settings.json';
const loadSpec = { kind: 'load', target: { type: 'cluster', cluster: { workers: 1, nodePath: '/tmp/evil' } } };

describe('a spec never names the Node runtime (or any program) a child runs on', () => {
  it('refuses a load spec with target.cluster.nodePath, saying where the setting lives now', () => {
    const parsed = LoadSpecSchema.safeParse(loadSpec);
    expect(parsed.success).toBe(false);
    expect(describeZodError(parsed.error!)).toBe(`target.cluster: "target.cluster.nodePath" ${WHERE_NOW}`);
  });

  it('names other unknown keys next to it', () => {
    const parsed = LoadSpecSchema.safeParse({ kind: 'load', target: { type: 'cluster', cluster: { nodePath: '/x', colour: 'red' } } });
    expect(describeZodError(parsed.error!)).toContain(`"target.cluster.nodePath" ${WHERE_NOW}; unrecognized key: "colour"`);
  });

  it('refuses a saved spec file that still has it', () => {
    expect(() => parseSpecFile(JSON.stringify(loadSpec), 'old-load.json')).toThrow(
      expect.objectContaining({ code: 'TB_INVALID_SPEC', message: expect.stringContaining(`"target.cluster.nodePath" ${WHERE_NOW}`) }),
    );
  });

  it('refuses a sweep axis that would reach it, and a sweep base that has it', () => {
    const axis = SweepSpecSchema.safeParse({
      kind: 'sweep',
      base: { kind: 'load' },
      axes: [{ path: 'target.cluster.nodePath', values: ['/bin/sh'] }],
    });
    expect(axis.success).toBe(false);
    expect(describeZodError(axis.error!)).toContain(`axes.0.path: "target.cluster.nodePath" ${WHERE_NOW}`);
    const base = SweepSpecSchema.safeParse({ kind: 'sweep', base: loadSpec, axes: [{ path: 'load.connections', values: [1, 2] }] });
    expect(base.success).toBe(false);
    expect(describeZodError(base.error!)).toContain(`"base.target.cluster.nodePath" ${WHERE_NOW}`);
  });

  it('is not in the JSON Schema editors get', () => {
    expect(JSON.stringify(specFileJsonSchema())).not.toContain('nodePath');
  });

  describe('through the engine', () => {
    const engines = engineFactory();

    it('refuses runs.start and cluster.start with it before anything starts', async () => {
      const engine = await engines.open(await engines.tempDir());
      await expect(engine.call('runs.start', { spec: loadSpec })).rejects.toMatchObject({
        code: 'TB_INVALID_PAYLOAD',
        message: expect.stringContaining(`"spec.target.cluster.nodePath" ${WHERE_NOW}`),
      });
      await expect(engine.call('cluster.start', { settings: { nodePath: '/bin/sh' } })).rejects.toMatchObject({
        code: 'TB_INVALID_PAYLOAD',
        message: expect.stringContaining(`"settings.nodePath" ${WHERE_NOW}`),
      });
      expect(await engine.call('cluster.status', {})).toMatchObject({ state: 'stopped' });
    });
  });
});
