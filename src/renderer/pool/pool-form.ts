/**
 * The Pool page's form as text fields, and its translation to a PoolSpec.
 * Validation is the same zod schema the engine uses, so the form can never
 * accept what the engine would reject; its issues are mapped back to fields.
 */
import {
  defaultTaskParams,
  examplePoolSpec,
  PoolSpecSchema,
  taskNames,
  taskParamSchemas,
  type PoolImplementation,
  type PoolSpecInput,
  type TaskName,
} from '../../shared/specs/index.js';
import { defined, describeIssue, readNumber } from '../form-issues.js';

export interface PoolForm {
  name: string;
  task: TaskName;
  /** Per task, so switching tasks and back keeps what was typed. */
  params: { [N in TaskName]: Record<string, string> };
  implementation: PoolImplementation;
  threads: string;
  maxQueue: string;
  jobs: string;
  concurrency: string;
  maxOldGenerationMb: string;
  /** Blank: the default warm-up (the first of 1 s and a tenth of the jobs). */
  warmupSec: string;
  warmupJobs: string;
  sampleIntervalMs: string;
  timeLimitSec: string;
}

type NumberField =
  | 'threads'
  | 'maxQueue'
  | 'jobs'
  | 'concurrency'
  | 'maxOldGenerationMb'
  | 'warmupSec'
  | 'warmupJobs'
  | 'sampleIntervalMs'
  | 'timeLimitSec';
/** A field of the form: its own name, or `param.<key>` for the current task's parameters. */
export type PoolFormField = NumberField | 'name' | 'task' | 'implementation' | `param.${string}` | 'form';
export type PoolFormErrors = Partial<Record<PoolFormField, string>>;

export function paramKeys(task: TaskName): string[] {
  return Object.keys(taskParamSchemas[task].shape);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function defaultParams(): PoolForm['params'] {
  const params = {} as PoolForm['params'];
  for (const task of taskNames) {
    params[task] = Object.fromEntries(
      paramKeys(task).map((key) => [key, text((defaultTaskParams[task] as Record<string, unknown>)[key])]),
    );
  }
  return params;
}

/** The example spec without its name: a name describing 100k primes would mislabel whatever the user changes. */
export function defaultPoolForm(): PoolForm {
  return { ...formFromSpec(examplePoolSpec), name: '' };
}

/** A saved run's spec as a form; unknown or missing parts fall back to the defaults. */
export function formFromSpec(raw: unknown): PoolForm {
  const parsed = PoolSpecSchema.safeParse(raw);
  const spec = parsed.success ? parsed.data : PoolSpecSchema.parse(examplePoolSpec);
  const params = defaultParams();
  params[spec.task.name] = Object.fromEntries(
    paramKeys(spec.task.name).map((key) => [key, text((spec.task.params as Record<string, unknown>)[key])]),
  );
  return {
    name: spec.name ?? '',
    task: spec.task.name,
    params,
    implementation: spec.pool.implementation,
    threads: text(spec.pool.threads),
    maxQueue: text(spec.pool.maxQueue),
    jobs: text(spec.jobs),
    concurrency: text(spec.concurrency),
    maxOldGenerationMb: text(spec.pool.maxOldGenerationMb),
    warmupSec: text(spec.warmupSec),
    warmupJobs: text(spec.warmupJobs),
    sampleIntervalMs: text(spec.sampleIntervalMs),
    timeLimitSec: text(spec.timeLimitSec),
  };
}

const fieldByPath: Record<string, PoolFormField> = {
  name: 'name',
  task: 'task',
  'task.name': 'task',
  'pool.implementation': 'implementation',
  'pool.threads': 'threads',
  'pool.maxQueue': 'maxQueue',
  'pool.maxOldGenerationMb': 'maxOldGenerationMb',
  jobs: 'jobs',
  concurrency: 'concurrency',
  warmupSec: 'warmupSec',
  warmupJobs: 'warmupJobs',
  sampleIntervalMs: 'sampleIntervalMs',
  timeLimitSec: 'timeLimitSec',
};

function fieldOf(path: PropertyKey[]): PoolFormField {
  const joined = path.map(String).join('.');
  if (joined.startsWith('task.params.') && path.length === 3) return `param.${String(path[2])}`;
  return fieldByPath[joined] ?? 'form';
}

export function specFromForm(form: PoolForm): { spec: PoolSpecInput; errors: PoolFormErrors; valid: boolean } {
  const errors: PoolFormErrors = {};
  const params: Record<string, number | undefined> = {};
  for (const key of paramKeys(form.task)) params[key] = readNumber(`param.${key}`, form.params[form.task][key] ?? '', errors);

  const candidate = defined({
    kind: 'pool' as const,
    name: form.name.trim() || undefined,
    task: { name: form.task, params: defined(params) },
    pool: defined({
      implementation: form.implementation,
      threads: readNumber('threads', form.threads, errors),
      maxQueue: readNumber('maxQueue', form.maxQueue, errors),
      maxOldGenerationMb: readNumber('maxOldGenerationMb', form.maxOldGenerationMb, errors),
    }),
    jobs: readNumber('jobs', form.jobs, errors),
    concurrency: readNumber('concurrency', form.concurrency, errors),
    warmupSec: readNumber('warmupSec', form.warmupSec, errors),
    warmupJobs: readNumber('warmupJobs', form.warmupJobs, errors),
    sampleIntervalMs: readNumber('sampleIntervalMs', form.sampleIntervalMs, errors),
    timeLimitSec: readNumber('timeLimitSec', form.timeLimitSec, errors),
  });

  // Fields the user must fill in even though the schema has a default: an
  // empty box silently becoming "2 threads" would surprise.
  for (const field of ['threads', 'maxQueue', 'jobs', 'concurrency'] as const) {
    if (form[field].trim() === '' && !errors[field]) errors[field] = 'Required';
  }

  const parsed = PoolSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      errors[field] ??= describeIssue(issue);
    }
  }
  return { spec: candidate as PoolSpecInput, errors, valid: Object.keys(errors).length === 0 };
}
