/**
 * The Services page's editor as text fields, and its translation to a
 * service definition. Validation is the engine's own schema; its issues map
 * back to fields. The command is one argument per line: it runs without a
 * shell, so there is no quoting to get wrong.
 */
import { ServiceDefinitionSchema, type Knob, type ServiceDefinition, type ServiceDefinitionInput } from '../../shared/specs/services.js';
import { describeIssue } from '../form-issues.js';

export type KnobTargetChoice = 'env' | 'flag' | 'nodeOption';

export interface KnobRow {
  /** Stable across edits and removals, for React keys. */
  id: number;
  name: string;
  type: Knob['type'];
  min: string;
  max: string;
  /** Enum values, comma-separated. */
  values: string;
  default: string;
  target: KnobTargetChoice;
  /** The environment variable, flag or Node option. */
  targetName: string;
  flagStyle: 'equals' | 'separate';
  description: string;
}

export interface ServiceForm {
  name: string;
  description: string;
  /** One argument per line; the first is the program ("node" is the host's Node.js). */
  command: string;
  directory: string;
  /** NAME=value, one per line. */
  env: string;
  url: string;
  readyType: 'http' | 'log';
  readyPath: string;
  readyPattern: string;
  readyTimeoutSec: string;
  stopTimeoutSec: string;
  database: 'none' | 'embedded';
  knobs: KnobRow[];
}

/** Keys: a field's name, `knobs.<row>.<field>`, or `form` for what belongs to no field. */
export type ServiceFormErrors = Record<string, string>;

let nextRowId = 1;

export function knobRow(fields: Partial<Omit<KnobRow, 'id'>> = {}): KnobRow {
  return {
    id: nextRowId++,
    name: '',
    type: 'integer',
    min: '1',
    max: '100',
    values: '',
    default: '',
    target: 'env',
    targetName: '',
    flagStyle: 'equals',
    description: '',
    ...fields,
  };
}

export function emptyServiceForm(): ServiceForm {
  return {
    name: '',
    description: '',
    command: 'node\nserver.mjs',
    directory: '',
    env: 'PORT=3000',
    url: 'http://127.0.0.1:3000',
    readyType: 'http',
    readyPath: '/health',
    readyPattern: 'listening',
    readyTimeoutSec: '30',
    stopTimeoutSec: '10',
    database: 'none',
    knobs: [],
  };
}

const text = (value: number | string | boolean | undefined) => (value === undefined ? '' : String(value));

export function formFromDefinition(definition: ServiceDefinition): ServiceForm {
  const ready = definition.ready;
  return {
    name: definition.name,
    description: definition.description ?? '',
    command: definition.command.join('\n'),
    directory: definition.directory,
    env: Object.entries(definition.env)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
    url: definition.url,
    readyType: ready.type,
    readyPath: ready.type === 'http' ? ready.path : '/health',
    readyPattern: ready.type === 'log' ? ready.pattern : 'listening',
    readyTimeoutSec: text(ready.timeoutSec),
    stopTimeoutSec: text(definition.stop.timeoutSec),
    database: definition.database,
    knobs: definition.knobs.map((knob) =>
      knobRow({
        name: knob.name,
        type: knob.type,
        min: knob.type === 'integer' || knob.type === 'number' ? text(knob.min) : '',
        max: knob.type === 'integer' || knob.type === 'number' ? text(knob.max) : '',
        values: knob.type === 'enum' ? knob.values.join(', ') : '',
        default: text(knob.default),
        target: knob.env !== undefined ? 'env' : knob.flag !== undefined ? 'flag' : 'nodeOption',
        targetName: knob.env ?? knob.flag ?? knob.nodeOption ?? '',
        flagStyle: knob.flagStyle ?? 'equals',
        description: knob.description ?? '',
      }),
    ),
  };
}

function number(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const parsed = Number(trimmed);
  // Not a number: the schema says so, by field.
  return Number.isFinite(parsed) ? parsed : trimmed;
}

function knobFromRow(row: KnobRow): Record<string, unknown> {
  const target = row.targetName.trim();
  const knob: Record<string, unknown> = { name: row.name.trim(), type: row.type };
  if (row.description.trim()) knob.description = row.description.trim();
  if (row.type === 'integer' || row.type === 'number') {
    knob.min = number(row.min);
    knob.max = number(row.max);
    if (row.default.trim()) knob.default = number(row.default);
  } else if (row.type === 'enum') {
    knob.values = row.values
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    if (row.default.trim()) knob.default = row.default.trim();
  } else if (row.default.trim()) {
    knob.default = row.default.trim() === 'true' ? true : row.default.trim() === 'false' ? false : row.default.trim();
  }
  knob[row.target] = target;
  if (row.target === 'flag' && row.flagStyle === 'separate') knob.flagStyle = 'separate';
  return knob;
}

/** The form as a definition, with every problem by field. */
export function definitionFromForm(form: ServiceForm): { definition: ServiceDefinitionInput; errors: ServiceFormErrors; valid: boolean } {
  const errors: ServiceFormErrors = {};
  const env: Record<string, string> = {};
  form.env.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const at = trimmed.indexOf('=');
    if (at <= 0) {
      errors.env ??= `line ${index + 1}: write NAME=value`;
      return;
    }
    env[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1);
  });
  const timeout = number(form.readyTimeoutSec);
  const ready =
    form.readyType === 'http'
      ? { type: 'http' as const, path: form.readyPath.trim(), timeoutSec: timeout }
      : { type: 'log' as const, pattern: form.readyPattern, timeoutSec: timeout };
  const definition = {
    name: form.name.trim(),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    command: form.command
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    directory: form.directory.trim(),
    env,
    url: form.url.trim(),
    ready,
    stop: { timeoutSec: number(form.stopTimeoutSec) },
    database: form.database,
    knobs: form.knobs.map(knobFromRow),
  } as unknown as ServiceDefinitionInput;
  const parsed = ServiceDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, second, third] = issue.path.map(String);
      const key =
        head === 'knobs' && second !== undefined
          ? `knobs.${second}.${third ?? 'name'}`
          : head === 'ready'
            ? second === 'timeoutSec'
              ? 'readyTimeoutSec'
              : form.readyType === 'http'
                ? 'readyPath'
                : 'readyPattern'
            : head === 'stop'
              ? 'stopTimeoutSec'
              : head && head in form
                ? head
                : 'form';
      errors[key] ??= describeIssue(issue);
    }
  }
  return { definition, errors, valid: Object.keys(errors).length === 0 };
}
