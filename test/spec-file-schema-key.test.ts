import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFromSpecJson, sweepSpecFromDraft } from '../src/renderer/studies/sweep-draft.js';
import { RunRecordSchema } from '../src/shared/run-record.js';
import { looksLikeSpecFile, parseSpecFile } from '../src/shared/specs/spec-file.js';
import { specFileJsonSchema, SweepSpecSchema } from '../src/shared/specs/sweep.js';
import { tunebench } from './fixtures/built.js';

const SCHEMA = './tunebench-spec.schema.json';
const poolSpec = {
  kind: 'pool',
  task: { name: 'primes', params: { limit: 2_000 } },
  pool: { threads: 1 },
  jobs: 5,
  concurrency: 1,
};
const sweepSpec = {
  $schema: SCHEMA,
  kind: 'sweep',
  base: { $schema: SCHEMA, ...poolSpec },
  axes: [{ path: 'pool.threads', values: [1] }],
  repeats: 1,
  warmup: 0,
};

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-schema-key-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeSpec(name: string, spec: unknown): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify(spec));
  return file;
}

describe('a spec file may name its JSON Schema ("$schema"), which Tunebench ignores', () => {
  it('parses an experiment and a sweep with "$schema" at the top and in the base, and drops it', () => {
    const experiment = parseSpecFile(JSON.stringify({ $schema: SCHEMA, ...poolSpec }), 'run.json');
    expect(experiment.type).toBe('experiment');
    expect(experiment.spec).not.toHaveProperty('$schema');

    const sweep = parseSpecFile(JSON.stringify(sweepSpec), 'sweep.json');
    expect(sweep.type).toBe('sweep');
    expect(sweep.spec).not.toHaveProperty('$schema');
    expect(sweep.spec.kind === 'sweep' && sweep.spec.base).not.toHaveProperty('$schema');
  });

  it('stays strict otherwise: another unknown key, or a "$schema" that is not a string, is refused by name', () => {
    expect(() => parseSpecFile(JSON.stringify({ $schema: SCHEMA, ...poolSpec, colour: 'red' }), 'extra.json')).toThrow(/extra\.json.*colour/);
    expect(() => parseSpecFile(JSON.stringify({ ...poolSpec, $schema: 42 }), 'number.json')).toThrow(/number\.json.*\$schema/);
    expect(() => parseSpecFile(JSON.stringify({ ...poolSpec, pool: { threads: 1, $schema: SCHEMA } }), 'nested.json')).toThrow(
      /nested\.json.*\$schema/,
    );
    expect(() => parseSpecFile('{"kind": "teapot"}', 'teapot.json')).toThrow(/kind must be one of pool.*sweep; got "teapot"/);
  });

  it('is allowed by the exported JSON Schema on every experiment kind, so editors do not flag it', () => {
    type Variant = { properties: { kind: { const: string } } & Record<string, unknown> };
    const schema = specFileJsonSchema() as { anyOf: [{ oneOf: Variant[] }, Variant] };
    const variants = [...schema.anyOf[0].oneOf, schema.anyOf[1]];
    expect(variants.map((variant) => variant.properties.kind.const).sort()).toEqual(['db', 'load', 'memory', 'pool', 'sweep']);
    for (const variant of variants) expect(variant.properties).toHaveProperty('$schema');
  });

  it('opens in the UI builder (spec file import) and becomes a valid sweep without it', () => {
    expect(looksLikeSpecFile(sweepSpec)).toBe(true);
    expect(looksLikeSpecFile({ id: 'run-1', kind: 'pool', summary: {} })).toBe(false);
    for (const file of [sweepSpec, { $schema: SCHEMA, ...poolSpec }]) {
      const built = sweepSpecFromDraft(draftFromSpecJson(file));
      if ('problem' in built) throw new Error(built.problem);
      expect(built.spec).not.toHaveProperty('$schema');
      expect(built.spec.base).not.toHaveProperty('$schema');
      expect(SweepSpecSchema.safeParse(built.spec).success).toBe(true);
    }
  });

  it('runs with tunebench run and tunebench sweep', async () => {
    const out = path.join(dir, 'data');
    const runFile = await writeSpec('run.json', { $schema: SCHEMA, ...poolSpec });
    const run = await tunebench(['run', runFile, '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const record = RunRecordSchema.parse(JSON.parse(run.stdout));
    expect(record.spec).not.toHaveProperty('$schema');

    const sweepFile = await writeSpec('sweep.json', sweepSpec);
    const sweep = await tunebench(['sweep', sweepFile, '--json'], { TUNEBENCH_DATA_DIR: out });
    expect(sweep.code, sweep.stderr).toBe(0);
    const { sweep: saved } = JSON.parse(sweep.stdout) as { sweep: { status: string; spec: Record<string, unknown> } };
    expect(saved.status).toBe('completed');
    expect(saved.spec).not.toHaveProperty('$schema');

    const swapped = await tunebench(['run', sweepFile, '--out', out]);
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain('is a sweep spec; run it with tunebench sweep');
  });
});
