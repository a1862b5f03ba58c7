/**
 * The Database page's form as text fields, and its translation to a DbSpec.
 * Validation is the engine's own zod schema; its issues map back to fields.
 */
import { workloadParamLabel } from '../../shared/specs/setting-labels.js';
import {
  DbSpecSchema,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  dbWorkloadTypes,
  EMBEDDED_TARGET,
  type DbSpecInput,
  type DbWorkloadType,
} from '../../shared/specs/db.js';

export type PoolKey =
  | 'max'
  | 'min'
  | 'idleTimeoutMillis'
  | 'connectionTimeoutMillis'
  | 'statementTimeoutMs'
  | 'queryTimeoutMs';
export type RunKey = 'concurrency' | 'durationSec' | 'warmupSec' | 'operations' | 'slowQueryMs' | 'seed';

export interface DbForm {
  name: string;
  target: string;
  pool: Record<PoolKey, string>;
  preparedStatements: boolean;
  workload: DbWorkloadType;
  /** Per workload, so switching and back keeps what was typed (a checkbox as 'true' / 'false'). */
  params: Record<DbWorkloadType, Record<string, string>>;
  run: Record<RunKey, string>;
}

export type DbFormErrors = Record<string, string>;

/** How each workload parameter is typed in: a number, a comma list, free text, JSON, or a checkbox ('true' / 'false'). */
type ParamKind = 'number' | 'numberList' | 'wordList' | 'text' | 'json' | 'flag';
export interface ParamField {
  key: string;
  label: string;
  kind: ParamKind;
  hint?: string;
  initial: string;
  /** Shown only for a user's own server (a profile), not for the embedded one. */
  userServerOnly?: boolean;
}

export const workloadParams: Record<DbWorkloadType, ParamField[]> = {
  pointSelect: [{ key: 'rows', label: workloadParamLabel('rows'), kind: 'number', initial: '10000' }],
  rangeScan: [
    { key: 'rows', label: workloadParamLabel('rows'), kind: 'number', initial: '10000' },
    { key: 'limit', label: workloadParamLabel('limit'), kind: 'number', initial: '50' },
  ],
  insert: [{ key: 'payloadBytes', label: workloadParamLabel('payloadBytes'), kind: 'number', initial: '100' }],
  bulkInsert: [
    { key: 'rowsPerCase', label: workloadParamLabel('rowsPerCase'), kind: 'number', initial: '10000' },
    { key: 'chunkSizes', label: workloadParamLabel('chunkSizes'), kind: 'numberList', hint: 'Comma separated', initial: '10, 100, 1000' },
    { key: 'methods', label: workloadParamLabel('methods'), kind: 'wordList', hint: 'insert, copy', initial: 'insert, copy' },
  ],
  serializable: [
    { key: 'accounts', label: workloadParamLabel('accounts'), kind: 'number', hint: 'Fewer accounts, more conflicts', initial: '10' },
    { key: 'maxRetries', label: workloadParamLabel('maxRetries'), kind: 'number', initial: '5' },
    { key: 'backoffBaseMs', label: workloadParamLabel('backoffBaseMs'), kind: 'number', initial: '2' },
    { key: 'backoffMaxMs', label: workloadParamLabel('backoffMaxMs'), kind: 'number', initial: '200' },
  ],
  preparedVsUnnamed: [{ key: 'rows', label: workloadParamLabel('rows'), kind: 'number', initial: '10000' }],
  cachedPointSelect: [
    { key: 'rows', label: workloadParamLabel('rows'), kind: 'number', initial: '10000' },
    { key: 'keySpace', label: workloadParamLabel('keySpace'), kind: 'number', hint: 'Keys drawn from the first N ids', initial: '2000' },
    { key: 'cacheMaxEntries', label: workloadParamLabel('cacheMaxEntries'), kind: 'number', initial: '1000' },
    { key: 'cacheTtlMs', label: workloadParamLabel('cacheTtlMs'), kind: 'number', initial: '5000' },
  ],
  userQuery: [
    {
      key: 'sql',
      label: workloadParamLabel('sql'),
      kind: 'text',
      hint: 'One statement; $1, $2 … for parameters. READ ONLY is not a security boundary: on the embedded server it runs as a role that can only read the tunebench schema',
      initial: 'SELECT now()',
    },
    { key: 'params', label: workloadParamLabel('params'), kind: 'json', hint: 'JSON array, e.g. [42, "abc"]', initial: '[]' },
    {
      key: 'allowPrivilegedRole',
      label: workloadParamLabel('allowPrivilegedRole'),
      kind: 'flag',
      hint: 'Without it, a superuser or a member of pg_read_server_files, pg_write_server_files, pg_execute_server_program or pg_signal_backend is refused (READ ONLY does not stop such a role)',
      initial: 'false',
      userServerOnly: true,
    },
  ],
};

export const workloadLabels: Record<DbWorkloadType, string> = {
  pointSelect: 'Point select',
  rangeScan: 'Range scan',
  insert: 'Single-row insert',
  bulkInsert: 'Bulk insert (INSERT vs COPY)',
  serializable: 'Serializable transfer with retry',
  preparedVsUnnamed: 'Prepared vs unnamed',
  cachedPointSelect: 'Cached point select',
  userQuery: 'Your query (read-only)',
};

export function defaultDbForm(): DbForm {
  const params = Object.fromEntries(
    dbWorkloadTypes.map((type) => [type, Object.fromEntries(workloadParams[type].map((field) => [field.key, field.initial]))]),
  ) as DbForm['params'];
  return {
    name: '',
    target: EMBEDDED_TARGET,
    pool: {
      max: '10',
      min: '0',
      idleTimeoutMillis: '10000',
      connectionTimeoutMillis: '5000',
      statementTimeoutMs: String(DEFAULT_STATEMENT_TIMEOUT_MS),
      queryTimeoutMs: '0',
    },
    preparedStatements: false,
    workload: 'pointSelect',
    params,
    run: { concurrency: '8', durationSec: '5', warmupSec: '1', operations: '0', slowQueryMs: '50', seed: '1' },
  };
}

/** A saved run's spec as a form; missing parts keep the defaults. */
export function formFromSpec(raw: unknown): DbForm {
  const form = defaultDbForm();
  const parsed = DbSpecSchema.safeParse(raw);
  if (!parsed.success) return form;
  const spec = parsed.data;
  form.name = spec.name ?? '';
  form.target = spec.target;
  for (const key of Object.keys(form.pool) as PoolKey[]) form.pool[key] = String(spec.pool[key]);
  form.preparedStatements = spec.pool.preparedStatements;
  form.workload = spec.workload.type;
  const values = spec.workload as Record<string, unknown>;
  for (const field of workloadParams[spec.workload.type]) {
    const value = values[field.key];
    if (value === undefined) continue;
    form.params[spec.workload.type][field.key] =
      field.kind === 'json' ? JSON.stringify(value) : Array.isArray(value) ? value.join(', ') : String(value);
  }
  for (const key of Object.keys(form.run) as RunKey[]) form.run[key] = String(spec[key]);
  return form;
}

function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

function paramValue(field: ParamField, text: string): { value?: unknown; error?: string } {
  switch (field.kind) {
    case 'number':
      return { value: numberOrText(text) };
    case 'numberList':
      return { value: text.split(',').map((part) => part.trim()).filter(Boolean).map(numberOrText) };
    case 'wordList':
      return { value: text.split(',').map((part) => part.trim()).filter(Boolean) };
    case 'text':
      return { value: text };
    case 'flag':
      return { value: text === 'true' };
    case 'json':
      try {
        return { value: JSON.parse(text || '[]') };
      } catch {
        return { error: 'must be a JSON array, e.g. [42, "abc"]' };
      }
  }
}

export function specFromForm(form: DbForm): { spec: DbSpecInput; errors: DbFormErrors; valid: boolean } {
  const errors: DbFormErrors = {};
  const workload: Record<string, unknown> = { type: form.workload };
  for (const field of workloadParams[form.workload]) {
    const { value, error } = paramValue(field, form.params[form.workload][field.key] ?? '');
    if (error) errors[`workload.${field.key}`] = error;
    else workload[field.key] = value;
  }
  const pool: Record<string, unknown> = { preparedStatements: form.preparedStatements };
  for (const [key, text] of Object.entries(form.pool)) pool[key] = numberOrText(text);
  const run = Object.fromEntries(Object.entries(form.run).map(([key, text]) => [key, numberOrText(text)]));
  const spec = {
    kind: 'db',
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    target: form.target,
    pool,
    workload,
    ...run,
  } as DbSpecInput;
  const parsed = DbSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || 'form';
      errors[path] ??= issue.message;
    }
  }
  return { spec, errors, valid: Object.keys(errors).length === 0 };
}
