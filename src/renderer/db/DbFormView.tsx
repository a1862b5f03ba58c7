import { dbWorkloadDescriptions, dbWorkloadTypes, EMBEDDED_TARGET, type DbWorkloadType } from '../../shared/specs/db.js';
import { Field } from '../components/Field.js';
import { workloadLabels, workloadParams, type DbForm, type DbFormErrors, type PoolKey, type RunKey } from './db-form.js';

const poolFields: Array<{ key: PoolKey; label: string; hint?: string }> = [
  { key: 'max', label: 'Max clients' },
  { key: 'min', label: 'Min clients' },
  { key: 'idleTimeoutMillis', label: 'Idle timeout (ms)' },
  { key: 'connectionTimeoutMillis', label: 'Connection timeout (ms)', hint: 'Never 0: that would wait forever' },
  {
    key: 'statementTimeoutMs',
    label: 'statement_timeout (ms)',
    hint: 'Server side, every statement; 30000 by default; 0 = none (a stuck statement then holds the run)',
  },
  { key: 'queryTimeoutMs', label: 'query_timeout (ms)', hint: 'Client side; 0 = none' },
];

const runFields: Array<{ key: RunKey; label: string; hint?: string }> = [
  { key: 'concurrency', label: 'Concurrency', hint: 'Operations in flight' },
  { key: 'durationSec', label: 'Duration (s)' },
  { key: 'warmupSec', label: 'Warm-up (s)', hint: 'Left out of the results; 0 = none' },
  { key: 'operations', label: 'Operations', hint: '0 = until the duration ends' },
  { key: 'slowQueryMs', label: 'Slow query threshold (ms)' },
  { key: 'seed', label: 'Seed' },
];

export function DbFormView({
  form,
  errors,
  disabled,
  onChange,
}: {
  form: DbForm;
  errors: DbFormErrors;
  disabled: boolean;
  onChange: (form: DbForm) => void;
}) {
  const setParam = (key: string, value: string) =>
    onChange({ ...form, params: { ...form.params, [form.workload]: { ...form.params[form.workload], [key]: value } } });

  // The privileged-role confirmation means nothing on the embedded server: user SQL always runs restricted there.
  const params = workloadParams[form.workload].filter((field) => !field.userServerOnly || form.target !== EMBEDDED_TARGET);

  return (
    <fieldset className="form-grid" disabled={disabled}>
      <legend className="visually-hidden">Database experiment</legend>
      <div className="form-group">
        <h3>Workload</h3>
        <Field label="Workload" error={errors['workload.type']} hint={dbWorkloadDescriptions[form.workload]}>
          {(props) => (
            <select
              {...props}
              value={form.workload}
              onChange={(event) => onChange({ ...form, workload: event.target.value as DbWorkloadType })}
            >
              {dbWorkloadTypes.map((type) => (
                <option key={type} value={type}>
                  {workloadLabels[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {params.map((field) => (
          <Field
            key={`${form.workload}.${field.key}`}
            label={field.label}
            error={errors[`workload.${field.key}`]}
            {...(field.hint ? { hint: field.hint } : {})}
          >
            {(props) =>
              field.kind === 'flag' ? (
                <input
                  {...props}
                  type="checkbox"
                  checked={form.params[form.workload][field.key] === 'true'}
                  onChange={(event) => setParam(field.key, String(event.target.checked))}
                />
              ) : field.kind === 'text' ? (
                <textarea
                  {...props}
                  rows={4}
                  value={form.params[form.workload][field.key] ?? ''}
                  onChange={(event) => setParam(field.key, event.target.value)}
                />
              ) : (
                <input
                  {...props}
                  value={form.params[form.workload][field.key] ?? ''}
                  onChange={(event) => setParam(field.key, event.target.value)}
                />
              )
            }
          </Field>
        ))}
      </div>
      <div className="form-group">
        <h3>Pool</h3>
        {poolFields.map(({ key, label, hint }) => (
          <Field key={key} label={label} error={errors[`pool.${key}`]} {...(hint ? { hint } : {})}>
            {(props) => (
              <input
                {...props}
                type="number" step={1} min={0} inputMode="numeric"
                value={form.pool[key]}
                onChange={(event) => onChange({ ...form, pool: { ...form.pool, [key]: event.target.value } })}
              />
            )}
          </Field>
        ))}
        <Field label="Named prepared statements" error={errors['pool.preparedStatements']}>
          {(props) => (
            <input
              {...props}
              type="checkbox"
              checked={form.preparedStatements}
              onChange={(event) => onChange({ ...form, preparedStatements: event.target.checked })}
            />
          )}
        </Field>
      </div>
      <div className="form-group">
        <h3>Run</h3>
        {runFields.map(({ key, label, hint }) => (
          <Field key={key} label={label} error={errors[key]} {...(hint ? { hint } : {})}>
            {(props) => (
              <input
                {...props}
                type="number" step="any" inputMode="decimal"
                value={form.run[key]}
                onChange={(event) => onChange({ ...form, run: { ...form.run, [key]: event.target.value } })}
              />
            )}
          </Field>
        ))}
        <Field label="Name" error={errors.name} hint="Optional">
          {(props) => <input {...props} value={form.name} onChange={(event) => onChange({ ...form, name: event.target.value })} />}
        </Field>
      </div>
    </fieldset>
  );
}
