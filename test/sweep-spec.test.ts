import { describe, expect, it } from 'vitest';
import {
  expandPoints,
  exampleSweepSpec,
  scheduleRuns,
  specFileJsonSchema,
  SweepSpecSchema,
  type SweepSpecInput,
} from '../src/shared/specs/sweep.js';
import { describeZodError } from '../src/shared/validation.js';

const base = exampleSweepSpec.base;
const errorOf = (spec: unknown) => {
  const result = SweepSpecSchema.safeParse(spec);
  return result.success ? 'valid' : describeZodError(result.error);
};

describe('sweep spec', () => {
  it('expands a two-axis grid with the first axis slowest, each point a valid spec of its kind', () => {
    const spec = SweepSpecSchema.parse({
      kind: 'sweep',
      base,
      axes: [
        { path: 'pool.threads', values: [1, 2] },
        { path: 'task.params.limit', values: [1_000, 2_000, 3_000] },
      ],
    });
    const points = expandPoints(spec);
    expect(points.map((p) => p.settings)).toEqual([
      { 'pool.threads': 1, 'task.params.limit': 1_000 },
      { 'pool.threads': 1, 'task.params.limit': 2_000 },
      { 'pool.threads': 1, 'task.params.limit': 3_000 },
      { 'pool.threads': 2, 'task.params.limit': 1_000 },
      { 'pool.threads': 2, 'task.params.limit': 2_000 },
      { 'pool.threads': 2, 'task.params.limit': 3_000 },
    ]);
    expect(points[4]!.spec).toMatchObject({ pool: { threads: 2 }, task: { name: 'primes', params: { limit: 2_000 } } });
    expect(spec).toMatchObject({ repeats: 3, warmup: 1, order: 'random', seed: 1 });
  });

  it('schedules warm-ups first, then every point × repeat once, shuffled reproducibly by the seed', () => {
    const spec = SweepSpecSchema.parse({ ...exampleSweepSpec, repeats: 4, warmup: 2 });
    const schedule = scheduleRuns(spec);
    expect(schedule).toHaveLength(3 * 4 + 2);
    expect(schedule.slice(0, 2).every((run) => run.repeat === -1)).toBe(true);
    const measured = schedule.slice(2).map((run) => `${run.point}/${run.repeat}`);
    expect(new Set(measured).size).toBe(12);
    expect(scheduleRuns(spec)).toEqual(schedule);
    expect(scheduleRuns({ ...spec, seed: 2 })).not.toEqual(schedule);
    const sequential = scheduleRuns({ ...spec, order: 'sequential' }).slice(2);
    expect(sequential.slice(0, 3).map((run) => run.point)).toEqual([0, 1, 2]);
  });

  it('allows zero axes: repeats of one spec', () => {
    const spec = SweepSpecSchema.parse({ kind: 'sweep', base, repeats: 5, warmup: 0 });
    expect(expandPoints(spec)).toHaveLength(1);
    expect(scheduleRuns(spec)).toHaveLength(5);
  });

  it('rejects bad sweeps with the field and the point named', () => {
    const sweep = (extra: Partial<SweepSpecInput>) => ({ kind: 'sweep', base, ...extra });
    expect(errorOf(sweep({ axes: [{ path: 'pool.thread', values: [1, 2] }] }))).toContain(
      'point pool.thread=1: pool: Unrecognized key: "thread"',
    );
    expect(errorOf(sweep({ axes: [{ path: 'pool.threads', values: [1, 100] }] }))).toMatch(
      /point pool\.threads=100: pool\.threads: Too big/,
    );
    expect(errorOf(sweep({ axes: [{ path: 'pool.threads', values: [1, 1] }] }))).toContain('axes.0.values: values must be distinct');
    expect(
      errorOf(sweep({ axes: [{ path: 'jobs', values: [1] }, { path: 'jobs', values: [2] }] })),
    ).toContain('"jobs" is swept twice');
    expect(errorOf(sweep({ axes: [{ path: 'kind', values: ['db'] }] }))).toContain('the kind cannot be swept');
    expect(errorOf(sweep({ axes: [{ path: 'pool..threads', values: [1] }] }))).toContain('must be a dotted path');
    expect(
      errorOf(sweep({ axes: [{ path: 'jobs', values: Array.from({ length: 10 }, (_, i) => i + 1) }, { path: 'concurrency', values: Array.from({ length: 10 }, (_, i) => i + 1) }] })),
    ).toContain('100 points; at most 64');
    expect(errorOf(sweep({ axes: [{ path: 'jobs', values: [1, 2, 3] }, { path: 'concurrency', values: [1, 2, 3] }, { path: 'timeLimitSec', values: [5] }] }))).toContain('axes: Too big');
    expect(errorOf(sweep({ repeats: 0 }))).toContain('repeats: Too small');
    expect(errorOf(sweep({ base: { kind: 'nope' } as never }))).toContain('base.kind');
    expect(errorOf({ ...sweep({}), extra: 1 })).toContain('Unrecognized key: "extra"');
  });

  it('exports a JSON Schema for editors describing both experiment and sweep files', () => {
    const schema = specFileJsonSchema() as { anyOf: Array<{ oneOf?: unknown[]; properties?: Record<string, unknown> }>; title: string };
    expect(schema.title).toContain('Tunebench');
    const sweepSchema = schema.anyOf.find((s) => s.properties?.axes)!;
    expect(Object.keys(sweepSchema.properties!)).toEqual(
      expect.arrayContaining(['kind', 'base', 'axes', 'repeats', 'warmup', 'order', 'seed']),
    );
    expect(JSON.stringify(schema)).toContain('"const":"pool"');
  });
});
