import { withoutSchemaKey } from '../../shared/specs/spec-file.js';
import type { SweepSpecInput } from '../../shared/specs/sweep.js';

/** One swept setting as typed: a dotted path and a comma-separated list of values. */
export interface AxisDraft {
  path: string;
  values: string;
}

/** What the sweep builder edits; the engine validates the spec it becomes (sweeps.preview). */
export interface SweepDraft {
  name: string;
  baseText: string;
  /** Always two rows; an empty path leaves a row out. */
  axes: [AxisDraft, AxisDraft];
  repeats: number;
  warmup: number;
  order: 'random' | 'sequential';
  seed: number;
}

const EMPTY_AXIS: AxisDraft = { path: '', values: '' };

/** The question each kind's page is usually asked: how many threads, connections, clients? */
const suggestedAxes: Record<string, AxisDraft> = {
  pool: { path: 'pool.threads', values: '1, 2, 4' },
  db: { path: 'pool.max', values: '2, 4, 8, 16' },
  load: { path: 'load.connections', values: '1, 4, 16' },
};

type SpecObject = Record<string, unknown>;

function isObject(value: unknown): value is SpecObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "1, 2, 4" → [1, 2, 4]; words stay strings, true/false become booleans. */
export function parseValues(text: string): Array<number | string | boolean> {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => (part === 'true' ? true : part === 'false' ? false : Number.isFinite(Number(part)) ? Number(part) : part));
}

/**
 * A load run on a defined service: its first knob the spec sets, swept
 * around that value (halved, as is, doubled, quadrupled for an integer).
 */
export function serviceKnobAxis(base: unknown): AxisDraft | undefined {
  if (!isObject(base) || base.kind !== 'load' || !isObject(base.target) || base.target.type !== 'service' || !isObject(base.target.knobs)) return undefined;
  const [name, value] = Object.entries(base.target.knobs)[0] ?? [];
  if (name === undefined) return undefined;
  const path = `target.knobs.${name}`;
  if (typeof value !== 'number') return { path, values: String(value) };
  const values = Number.isInteger(value) ? [Math.max(1, Math.round(value / 2)), value, value * 2, value * 4] : [value / 2, value, value * 2];
  return { path, values: [...new Set(values)].join(', ') };
}

/** A builder that sweeps the kind's usual setting over the given experiment (a service's knob, for a defined service). */
export function draftFromBase(base: unknown): SweepDraft {
  const kind = isObject(base) && typeof base.kind === 'string' ? base.kind : '';
  return {
    name: '',
    baseText: JSON.stringify(base, null, 2),
    axes: [serviceKnobAxis(base) ?? suggestedAxes[kind] ?? EMPTY_AXIS, EMPTY_AXIS],
    repeats: 3,
    warmup: 1,
    order: 'random',
    seed: 1,
  };
}

/** A builder holding a whole sweep spec, read leniently: what it lacks takes the builder's defaults. */
export function draftFromSweepSpec(spec: SpecObject): SweepDraft {
  const draft = draftFromBase(spec.base ?? {});
  const axes = Array.isArray(spec.axes) ? spec.axes.filter(isObject) : [];
  const axisDraft = (axis: SpecObject | undefined): AxisDraft =>
    axis
      ? { path: typeof axis.path === 'string' ? axis.path : '', values: Array.isArray(axis.values) ? axis.values.map(String).join(', ') : '' }
      : EMPTY_AXIS;
  const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
  return {
    name: typeof spec.name === 'string' ? spec.name : '',
    baseText: draft.baseText,
    axes: [axisDraft(axes[0]), axisDraft(axes[1])],
    repeats: number(spec.repeats, draft.repeats),
    warmup: number(spec.warmup, draft.warmup),
    order: spec.order === 'sequential' ? 'sequential' : 'random',
    seed: number(spec.seed, draft.seed),
  };
}

/**
 * A builder for a spec file's content (a sweep, or one experiment to sweep
 * over); the "$schema" an editor adds is dropped.
 */
export function draftFromSpecJson(json: unknown): SweepDraft {
  const spec = withoutSchemaKey(json);
  return isObject(spec) && spec.kind === 'sweep' ? draftFromSweepSpec(spec) : draftFromBase(spec);
}

/** The sweep spec a draft stands for, or what keeps it from being one. */
export function sweepSpecFromDraft(draft: SweepDraft): { spec: SweepSpecInput } | { problem: string } {
  let base: unknown;
  try {
    base = JSON.parse(draft.baseText || '{}');
  } catch (error) {
    return { problem: `Base spec is not valid JSON: ${(error as Error).message}` };
  }
  return {
    spec: {
      kind: 'sweep',
      ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
      base: withoutSchemaKey(base) as SweepSpecInput['base'],
      axes: draft.axes.filter((axis) => axis.path.trim()).map((axis) => ({ path: axis.path.trim(), values: parseValues(axis.values) })),
      repeats: draft.repeats,
      warmup: draft.warmup,
      order: draft.order,
      seed: draft.seed,
    },
  };
}

/**
 * Every setting of an experiment spec a sweep could vary, as dotted paths
 * ("pool.threads", "task.params.limit"): its scalar leaves, lists left out.
 */
export function settingPaths(base: unknown, prefix = ''): string[] {
  if (!isObject(base)) return [];
  return Object.entries(base).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!prefix && (key === 'kind' || key === 'name')) return [];
    if (isObject(value)) return settingPaths(value, path);
    return ['number', 'string', 'boolean'].includes(typeof value) ? [path] : [];
  });
}

/**
 * Where the builder opens on a spec (an experiment to sweep over, or a whole
 * sweep to edit); `origin` tells the user where the spec came from.
 */
export function sweepBuilderPath(spec: unknown, origin: string): string {
  return `/sweeps/new?${new URLSearchParams({ spec: JSON.stringify(spec), origin }).toString()}`;
}

export type SweepField = 'path0' | 'path1' | 'values0' | 'values1' | 'base';

/**
 * Which field a problem is about, from the engine's message ('axes: point
 * pool.threads=200: pool.threads: Too big…' is the first axis's values; an
 * unrecognized key there is its setting; 'base: …' or invalid JSON is the base).
 */
export function problemByField(message: string, draft: Pick<SweepDraft, 'axes'>): Partial<Record<SweepField, string>> {
  if (/^Base spec is not valid JSON/.test(message) || /(^|: )(spec\.)?base[.:]/.test(message)) return { base: message };
  const listed = /axes\.([01])\.(values|path)\b/.exec(message);
  if (listed) return { [`${listed[2]}${listed[1]}`]: message.slice(listed.index) };
  const point = /point ([^=\s]+)=/.exec(message)?.[1];
  const index = draft.axes.findIndex((axis) => axis.path.trim() && axis.path.trim() === point);
  if (index < 0) return {};
  const detail = message.slice(message.indexOf(`point ${point}=`));
  return /Unrecognized key|unknown setting|no setting/i.test(detail) ? { [`path${index}`]: detail } : { [`values${index}`]: detail };
}
