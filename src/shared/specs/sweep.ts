import { z } from 'zod';
import { SafeIdSchema } from '../ids.js';
import { EnvironmentSchema, RunStatusSchema } from '../run-record.js';
import { MetricValueSchema } from '../metrics.js';
import { SeededRandom } from '../random.js';
import { describeZodError } from '../validation.js';
import { movedFieldIn, movedFieldMessage } from './host-settings.js';
import { ExperimentSpecSchema, specSchemas, type ExperimentKind } from './index.js';

/** A sweep is bounded so one click cannot queue a day of runs. */
export const MAX_SWEEP_POINTS = 64;
export const MAX_SWEEP_RUNS = 500;

const SettingValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type SettingValue = z.infer<typeof SettingValueSchema>;

const DottedPathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/, 'must be a dotted path of setting names, e.g. "pool.threads"');

export const SweepAxisSchema = z
  .object({
    /** The setting to vary, as a dotted path into the base spec, e.g. "pool.threads" or "task.params.limit". */
    path: DottedPathSchema,
    values: z.array(SettingValueSchema).min(1).max(MAX_SWEEP_POINTS),
  })
  .strict();
export type SweepAxis = z.infer<typeof SweepAxisSchema>;

const SweepSpecShape = z
  .object({
    kind: z.literal('sweep'),
    /** Lets an editor find this file's JSON Schema; ignored by Tunebench. */
    $schema: z.string().max(500).optional(),
    name: z.string().max(200).optional(),
    /** The experiment every point runs: a spec of any kind with its fixed settings. */
    base: ExperimentSpecSchema,
    /** Zero axes repeats the base spec (useful as a CI baseline); one or two axes form a grid. */
    axes: z.array(SweepAxisSchema).max(2).default([]),
    /** Measured runs per point; the spread between them gives the error bars and confidence intervals. */
    repeats: z.number().int().min(1).max(50).default(3),
    /** Runs made first and discarded, so JIT, caches and CPU clocks settle before anything is measured. */
    warmup: z.number().int().min(0).max(10).default(1),
    /** Random order (the default) keeps slow drift of the machine from posing as an effect of a setting. */
    order: z.enum(['random', 'sequential']).default('random'),
    seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  })
  .strict();

/** A sweep spec: validated as a whole, and every point's spec validated by its kind's schema. */
export const SweepSpecSchema = SweepSpecShape.superRefine((spec, ctx) => {
  const seen = new Set<string>();
  spec.axes.forEach((axis, index) => {
    if (axis.path === 'kind' || axis.path.startsWith('kind.')) {
      ctx.addIssue({ code: 'custom', path: ['axes', index, 'path'], message: 'the kind cannot be swept' });
    }
    const moved = movedFieldIn(axis.path);
    if (moved) {
      const parents = axis.path.split('.');
      ctx.addIssue({
        code: 'custom',
        path: ['axes', index, 'path'],
        message: movedFieldMessage(parents.slice(0, parents.indexOf(moved)), moved),
      });
    }
    if (seen.has(axis.path)) {
      ctx.addIssue({ code: 'custom', path: ['axes', index, 'path'], message: `"${axis.path}" is swept twice` });
    }
    seen.add(axis.path);
    const distinct = new Set(axis.values.map((value) => JSON.stringify(value)));
    if (distinct.size !== axis.values.length) {
      ctx.addIssue({ code: 'custom', path: ['axes', index, 'values'], message: 'values must be distinct' });
    }
  });
  const points = spec.axes.reduce((count, axis) => count * axis.values.length, 1);
  if (points > MAX_SWEEP_POINTS) {
    ctx.addIssue({ code: 'custom', path: ['axes'], message: `${points} points; at most ${MAX_SWEEP_POINTS}` });
    return;
  }
  const runs = points * spec.repeats + spec.warmup;
  if (runs > MAX_SWEEP_RUNS) {
    ctx.addIssue({ code: 'custom', path: ['repeats'], message: `${runs} runs in all; at most ${MAX_SWEEP_RUNS}` });
    return;
  }
  if (ctx.issues?.length) return;
  for (const point of expandPoints(spec)) {
    const parsed = specSchemas[spec.base.kind as ExperimentKind].safeParse(point.spec);
    if (!parsed.success) {
      const where = Object.entries(point.settings)
        .map(([path, value]) => `${path}=${JSON.stringify(value)}`)
        .join(', ');
      ctx.addIssue({ code: 'custom', path: ['axes'], message: `point ${where}: ${describeZodError(parsed.error)}` });
      return;
    }
  }
});
export type SweepSpec = z.infer<typeof SweepSpecSchema>;
export type SweepSpecInput = z.input<typeof SweepSpecSchema>;

/** What an editor's JSON Schema describes: a file holding either one experiment or a sweep. */
export const SpecFileSchema = z.union([ExperimentSpecSchema, SweepSpecSchema]);

export interface SweepPoint {
  index: number;
  /** The swept settings of this point, by dotted path. */
  settings: Record<string, SettingValue>;
  spec: Record<string, unknown> & { kind: string };
}

/** Every point of the grid; the first axis varies slowest. */
export function expandPoints(spec: Pick<SweepSpec, 'base' | 'axes'>): SweepPoint[] {
  let grids: Array<Record<string, SettingValue>> = [{}];
  for (const axis of spec.axes) {
    grids = grids.flatMap((settings) => axis.values.map((value) => ({ ...settings, [axis.path]: value })));
  }
  return grids.map((settings, index) => {
    let pointSpec = spec.base as Record<string, unknown> & { kind: string };
    for (const [path, value] of Object.entries(settings)) pointSpec = withSetting(pointSpec, path, value);
    return { index, settings, spec: pointSpec };
  });
}

/** A copy of the spec with one dotted-path setting replaced; missing parents are created. */
export function withSetting<T extends Record<string, unknown>>(spec: T, path: string, value: SettingValue): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...spec, [head]: value };
  const child = spec[head];
  const childObject = child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  return { ...spec, [head]: withSetting(childObject, rest.join('.'), value) };
}

export function readSetting(spec: Record<string, unknown>, path: string): unknown {
  let current: unknown = spec;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export interface ScheduledRun {
  point: number;
  /** 0-based repeat; -1 marks a warm-up run, which is never analysed. */
  repeat: number;
}

/**
 * The order runs are made in: warm-ups first, then every (point, repeat),
 * shuffled with the spec's seed when the order is random.
 */
export function scheduleRuns(spec: Pick<SweepSpec, 'axes' | 'repeats' | 'warmup' | 'order' | 'seed'>): ScheduledRun[] {
  const points = spec.axes.reduce((count, axis) => count * axis.values.length, 1);
  const measured: ScheduledRun[] = [];
  for (let repeat = 0; repeat < spec.repeats; repeat++) {
    for (let point = 0; point < points; point++) measured.push({ point, repeat });
  }
  if (spec.order === 'random') new SeededRandom(spec.seed).shuffle(measured);
  const warmups: ScheduledRun[] = Array.from({ length: spec.warmup }, () => ({ point: measured[0]?.point ?? 0, repeat: -1 }));
  return [...warmups, ...measured];
}

export const SweepStatusSchema = RunStatusSchema;
export const SWEEP_RECORD_FORMAT = 1;

export const SweepRunEntrySchema = z.object({
  runId: SafeIdSchema,
  point: z.number().int(),
  repeat: z.number().int(),
  status: RunStatusSchema,
  durationMs: z.number(),
  /** Copied from the run so a sweep can be analysed without loading every run record. */
  summary: z.record(z.string(), MetricValueSchema),
});
export type SweepRunEntry = z.infer<typeof SweepRunEntrySchema>;

export const SweepRecordSchema = z.object({
  format: z.literal(SWEEP_RECORD_FORMAT),
  id: SafeIdSchema,
  name: z.string(),
  spec: SweepSpecShape,
  environment: EnvironmentSchema,
  status: SweepStatusSchema,
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  points: z.array(
    z.object({ index: z.number().int(), settings: z.record(z.string(), SettingValueSchema) }),
  ),
  /** Runs in the order they were made, warm-ups included (repeat -1). */
  runs: z.array(SweepRunEntrySchema),
  totalRuns: z.number().int(),
});
export type SweepRecord = z.infer<typeof SweepRecordSchema>;

export const SweepListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: SweepStatusSchema,
  startedAt: z.string(),
  durationMs: z.number(),
  points: z.number(),
  runsDone: z.number(),
  totalRuns: z.number(),
});
export type SweepListItem = z.infer<typeof SweepListItemSchema>;

export const exampleSweepSpec: SweepSpecInput = {
  kind: 'sweep',
  name: 'pool threads 1, 2, 4 on primes',
  // Each run long enough to measure: 1,500 jobs of about 6 ms, some 2 to 9 s a run.
  base: {
    kind: 'pool',
    task: { name: 'primes', params: { limit: 1_000_000 } },
    pool: { implementation: 'piscina', threads: 2, maxQueue: 1_000 },
    jobs: 1_500,
    concurrency: 8,
  },
  axes: [{ path: 'pool.threads', values: [1, 2, 4] }],
  repeats: 3,
  warmup: 1,
  order: 'random',
  seed: 1,
};

/**
 * The JSON Schema of a spec file (one experiment of any kind, or a sweep) for
 * editors: `"$schema": "./tunebench-spec.schema.json"` in a spec gives
 * completion and checks as you type. Input shape, so defaulted fields are optional.
 */
export function specFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SpecFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  allowSchemaKey(schema);
  return { ...schema, title: 'Tunebench experiment or sweep spec' };
}

/**
 * Experiment specs are strict, yet a run's spec file may name its schema too
 * (Tunebench drops the key before validating), so an editor must not flag it.
 */
function allowSchemaKey(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach(allowSchemaKey);
    return;
  }
  const object = node as Record<string, unknown>;
  const properties = object.properties as Record<string, Record<string, unknown>> | undefined;
  const kind = properties?.kind?.const;
  if (properties && typeof kind === 'string' && kind in specSchemas && !('$schema' in properties)) {
    properties.$schema = { type: 'string', description: 'The JSON Schema of this file, for editors; ignored by Tunebench.' };
  }
  for (const value of Object.values(object)) allowSchemaKey(value);
}
