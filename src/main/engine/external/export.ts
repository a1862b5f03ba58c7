import { TunebenchError } from '../../../shared/errors.js';
import type { ExternalEngine, LoadExport } from '../../../shared/external.js';
import { LoadSpecSchema, type LoadSpec } from '../../../shared/specs/load.js';
import { withoutSchemaKey } from '../../../shared/specs/spec-file.js';
import { describeZodError } from '../../../shared/validation.js';
import { artilleryScript } from './artillery-script.js';
import type { ExportOptions } from './export-common.js';
import { k6Script } from './k6-script.js';

/** A load spec (validated here) as a script for another engine, with notes on what runs differently. */
export function exportLoadSpec(rawSpec: unknown, engine: ExternalEngine, options: ExportOptions = {}): LoadExport {
  const spec = parseLoadSpec(rawSpec);
  return engine === 'k6' ? k6Script(spec, options) : artilleryScript(spec, options);
}

export function parseLoadSpec(rawSpec: unknown): LoadSpec {
  const raw = withoutSchemaKey(rawSpec) as { kind?: unknown } | undefined;
  if (!raw || typeof raw !== 'object' || raw.kind !== 'load') {
    throw new TunebenchError('TB_INVALID_SPEC', {
      detail: `only load specs can be exported to another engine; got kind ${JSON.stringify(raw?.kind) ?? 'nothing'}`,
    });
  }
  const parsed = LoadSpecSchema.safeParse(raw);
  if (!parsed.success) throw new TunebenchError('TB_INVALID_SPEC', { detail: describeZodError(parsed.error) });
  return parsed.data;
}
