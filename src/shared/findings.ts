/**
 * Findings: the headline of a run. Each is what one rule (engine/findings/)
 * read in a run's record, or in its live parts while it runs: a severity, one
 * sentence, the numbers behind it, the stretch of the run's time axis it is
 * about, and where it fits, what to try next (a rerun with changed settings,
 * or a sweep over one setting). Pure data, shared by the engine (record,
 * reports, CLI) and the renderer (the Findings panel).
 */
import { z } from 'zod';
import { UnitSchema } from './metrics.js';

export const FindingSeveritySchema = z.enum(['info', 'warning', 'problem']);
export type FindingSeverity = z.infer<typeof FindingSeveritySchema>;

/** Most severe first: the order findings are listed in. */
export const FINDING_SEVERITY_ORDER: readonly FindingSeverity[] = ['problem', 'warning', 'info'];

const SettingValueSchema = z.union([z.number(), z.string(), z.boolean()]);
const DottedPathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/);

export const FindingEvidenceSchema = z.object({
  label: z.string(),
  value: z.union([z.number(), z.string()]),
  unit: UnitSchema.optional(),
});
export type FindingEvidence = z.infer<typeof FindingEvidenceSchema>;

export const TryNextSchema = z.discriminatedUnion('action', [
  /** The run again with these settings changed (dotted paths into its spec), for the user to look over before starting it. */
  z.object({
    action: z.literal('rerun'),
    label: z.string(),
    patch: z.record(DottedPathSchema, SettingValueSchema).default({}),
  }),
  /** A sweep of the run's spec over one setting (or, without an axis, repeats of it as it is). */
  z.object({
    action: z.literal('sweep'),
    label: z.string(),
    axis: z.object({ path: DottedPathSchema, values: z.array(SettingValueSchema).min(1).max(64) }).optional(),
    repeats: z.number().int().min(1).max(50).optional(),
  }),
]);
export type TryNext = z.infer<typeof TryNextSchema>;

export const FindingSchema = z.object({
  /** The rule that found it ('pool.queue-wait', 'machine-busy'): stable, for tests and for telling findings apart. */
  id: z.string().min(1).max(100),
  severity: FindingSeveritySchema,
  /** One sentence. */
  title: z.string(),
  /** The numbers that support it. */
  evidence: z.array(FindingEvidenceSchema),
  /** The stretch of the run it is about, ms on the run's time axis (the charts' x axis). */
  range: z.object({ fromMs: z.number(), toMs: z.number() }).optional(),
  tryNext: TryNextSchema.optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

type SpecObject = Record<string, unknown>;

function isObject(value: unknown): value is SpecObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** A spec with dotted-path settings replaced (objects on the way are copied, never changed in place). */
export function applySpecPatch(spec: SpecObject, patch: Readonly<Record<string, unknown>>): SpecObject {
  const result: SpecObject = { ...spec };
  for (const [path, value] of Object.entries(patch)) {
    const keys = path.split('.');
    // A patch can come from an address: it never reaches an object's prototype.
    if (keys.some((key) => !key || UNSAFE_KEYS.has(key))) continue;
    let target = result;
    for (const key of keys.slice(0, -1)) {
      const next = isObject(target[key]) ? { ...(target[key] as SpecObject) } : {};
      target[key] = next;
      target = next;
    }
    target[keys.at(-1)!] = value;
  }
  return result;
}

/** The sweep spec a "Try next: sweep" stands for, over the run's spec (its name left out: the sweep names its runs). */
export function sweepSpecOf(spec: SpecObject, tryNext: Extract<TryNext, { action: 'sweep' }>): SpecObject {
  const { name: _name, ...base } = spec;
  return {
    kind: 'sweep',
    base,
    axes: tryNext.axis ? [tryNext.axis] : [],
    ...(tryNext.repeats !== undefined ? { repeats: tryNext.repeats } : {}),
  };
}

/** Most severe first, then in the order the rules found them. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => FINDING_SEVERITY_ORDER.indexOf(a.finding.severity) - FINDING_SEVERITY_ORDER.indexOf(b.finding.severity) || a.index - b.index)
    .map(({ finding }) => finding);
}

/** "1.2–3.4 s": a finding's range as the charts' axis reads it. */
export function describeRange(range: { fromMs: number; toMs: number }): string {
  const seconds = (ms: number) => String(Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0)));
  return `${seconds(range.fromMs)}–${seconds(range.toMs)} s`;
}
