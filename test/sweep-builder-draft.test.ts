import { describe, expect, it } from 'vitest';
import { draftFromBase, draftFromSpecJson, problemByField, settingPaths, sweepBuilderPath, sweepSpecFromDraft } from '../src/renderer/studies/sweep-draft.js';
import { parseHash } from '../src/renderer/app/router.js';
import { exampleDbSpec, exampleLoadSpec, examplePoolSpec } from '../src/shared/specs/index.js';
import { SweepSpecSchema, type SweepSpecInput } from '../src/shared/specs/sweep.js';

describe('the sweep builder opened on a spec', () => {
  it("opens on an experiment page's spec sweeping that kind's usual setting", () => {
    expect(draftFromBase(examplePoolSpec).axes[0].path).toBe('pool.threads');
    expect(draftFromBase(exampleDbSpec).axes[0].path).toBe('pool.max');
    expect(draftFromBase(exampleLoadSpec).axes[0].path).toBe('load.connections');
    const built = sweepSpecFromDraft(draftFromBase(examplePoolSpec));
    if ('problem' in built) throw new Error(built.problem);
    expect(built.spec.base).toEqual(examplePoolSpec);
    expect(SweepSpecSchema.safeParse(built.spec).success).toBe(true);
  });

  it('prefills every field from a saved sweep\'s spec ("Edit sweep") and builds the same spec back', () => {
    const saved = SweepSpecSchema.parse({
      kind: 'sweep',
      name: 'threads by limit',
      base: examplePoolSpec,
      axes: [
        { path: 'pool.threads', values: [1, 2] },
        { path: 'task.params.limit', values: [1_000, 5_000] },
      ],
      repeats: 4,
      warmup: 0,
      order: 'sequential',
      seed: 9,
    } satisfies SweepSpecInput);
    const draft = draftFromSpecJson(saved);
    expect(draft.axes).toEqual([
      { path: 'pool.threads', values: '1, 2' },
      { path: 'task.params.limit', values: '1000, 5000' },
    ]);
    const built = sweepSpecFromDraft(draft);
    if ('problem' in built) throw new Error(built.problem);
    expect(SweepSpecSchema.parse(built.spec)).toEqual(saved);
  });

  it('hands a spec over in the URL intact', () => {
    const spec = { ...examplePoolSpec, name: 'a & b = c?' };
    const route = parseHash(`#${sweepBuilderPath(spec, 'Base: the Pool page.')}`);
    expect(route.page).toBe('sweeps');
    expect(route.params).toEqual(['new']);
    expect(JSON.parse(route.query.get('spec')!)).toEqual(spec);
    expect(route.query.get('origin')).toBe('Base: the Pool page.');
  });

  it('suggests every scalar setting of the base as a path to sweep', () => {
    expect(settingPaths(examplePoolSpec)).toEqual(expect.arrayContaining(['pool.threads', 'task.params.limit', 'jobs']));
    expect(settingPaths(examplePoolSpec)).not.toContain('kind');
  });

  it('names a base that is not JSON', () => {
    const built = sweepSpecFromDraft({ ...draftFromBase(examplePoolSpec), baseText: '{"kind": ' });
    expect(built).toEqual({ problem: expect.stringContaining('Base spec is not valid JSON') });
  });
});

describe('a sweep problem shown beside its field', () => {
  const draft = { axes: [{ path: 'pool.threads', values: '1, 200' }, { path: 'jobs', values: '' }] as [{ path: string; values: string }, { path: string; values: string }] };
  it.each([
    ['Invalid spec: axes: point pool.threads=200: pool.threads: Too big: expected number to be <=64', { values0: 'point pool.threads=200: pool.threads: Too big: expected number to be <=64' }],
    ['Invalid spec: axes: point jobs=1: jobs: Too small', { values1: 'point jobs=1: jobs: Too small' }],
    ['Invalid spec: axes: point pool.threads=1: pool: Unrecognized key: "thread"', { path0: 'point pool.threads=1: pool: Unrecognized key: "thread"' }],
    ['Invalid spec: axes.1.values: Too small: expected array to have >=1 items', { values1: 'axes.1.values: Too small: expected array to have >=1 items' }],
    ['Invalid spec: base.pool.threads: Too small: expected number to be >=1', { base: 'Invalid spec: base.pool.threads: Too small: expected number to be >=1' }],
    ['Base spec is not valid JSON: Unexpected token', { base: 'Base spec is not valid JSON: Unexpected token' }],
    ['Invalid spec: repeats: Too big', {}],
    ['Invalid spec: axes: point other.path=1: Unrecognized key: "other"', {}],
  ])('%s', (message, expected) => {
    expect(problemByField(message, draft)).toEqual(expected);
  });
});

it('a problem the web host wraps as an invalid payload is placed the same way', () => {
  const axes = [{ path: 'pool.threads', values: '1' }, { path: '', values: '' }] as [{ path: string; values: string }, { path: string; values: string }];
  expect(problemByField('Invalid payload for "sweeps.preview": spec.base.pool.threads: Too small', { axes })).toEqual({
    base: 'Invalid payload for "sweeps.preview": spec.base.pool.threads: Too small',
  });
  expect(problemByField('Invalid payload for "sweeps.preview": spec.axes.0.values: Too small', { axes })).toEqual({ values0: 'axes.0.values: Too small' });
});
