import { describe, expect, it } from 'vitest';
import { draftFromBase, draftFromSpecJson, settingPaths, sweepBuilderPath, sweepSpecFromDraft } from '../src/renderer/studies/sweep-draft.js';
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
