import { TunebenchError } from '../errors.js';
import { describeZodError } from '../validation.js';
import { ExperimentSpecSchema, experimentKinds, type ExperimentSpec } from './index.js';
import { SweepSpecSchema, type SweepSpec } from './sweep.js';

/**
 * The key an editor adds to a spec file to find its JSON Schema
 * (`"$schema": "./tunebench-spec.schema.json"`, as `tunebench schema` suggests).
 */
export const SCHEMA_KEY = '$schema';

/** A spec file holds one experiment of any kind, or a sweep. */
export type SpecFile = { type: 'experiment'; spec: ExperimentSpec } | { type: 'sweep'; spec: SweepSpec };

const specFileKinds: readonly string[] = [...experimentKinds, 'sweep'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function dropSchemaKey(object: Record<string, unknown>): Record<string, unknown> {
  if (typeof object[SCHEMA_KEY] !== 'string') return object;
  const { [SCHEMA_KEY]: _ignored, ...rest } = object;
  return rest;
}

/**
 * The spec without the "$schema" an editor put at its top (and at the top of a
 * sweep's base, which is often a run's spec file pasted in). Only a string
 * there is dropped: the strict schemas still refuse every other unknown key,
 * and a "$schema" that is not a string.
 */
export function withoutSchemaKey(json: unknown): unknown {
  if (!isPlainObject(json)) return json;
  const top = dropSchemaKey(json);
  if (top.kind !== 'sweep' || !isPlainObject(top.base)) return top;
  return { ...top, base: dropSchemaKey(top.base) };
}

/**
 * True when parsed JSON looks like a spec file rather than a run record or an
 * exported report (which carry an "id" or the "tunebench" marker), so an
 * importer can tell the user which of the two it was given.
 */
export function looksLikeSpecFile(json: unknown): boolean {
  return isPlainObject(json) && typeof json.kind === 'string' && specFileKinds.includes(json.kind) && !('id' in json) && !('tunebench' in json);
}

/**
 * Parses a spec file's text: one experiment or a sweep, "$schema" ignored.
 * Every problem is a TB_INVALID_SPEC naming the file and, for a bad field, the field.
 */
export function parseSpecFile(text: string, file: string): SpecFile {
  const invalid = (detail: string) => new TunebenchError('TB_INVALID_SPEC', { detail });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(json)) throw invalid(`${file} must hold a JSON object with a "kind"`);
  if (typeof json.kind !== 'string' || !specFileKinds.includes(json.kind)) {
    throw invalid(`${file}: kind must be one of ${specFileKinds.join(', ')}; got ${JSON.stringify(json.kind) ?? 'nothing'}`);
  }
  const spec = withoutSchemaKey(json);
  if (json.kind === 'sweep') {
    const parsed = SweepSpecSchema.safeParse(spec);
    if (!parsed.success) throw invalid(`${file}: ${describeZodError(parsed.error)}`);
    return { type: 'sweep', spec: parsed.data };
  }
  const parsed = ExperimentSpecSchema.safeParse(spec);
  if (!parsed.success) throw invalid(`${file}: ${describeZodError(parsed.error)}`);
  return { type: 'experiment', spec: parsed.data };
}
