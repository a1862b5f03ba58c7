import { dbWorkloadDescriptions, dbWorkloadTypes, EMBEDDED_TARGET, type DbWorkloadType } from '../../shared/specs/db.js';
import { Field } from '../components/Field.js';
import { workloadLabels, workloadParams, type DbForm, type DbFormErrors, type PoolKey, type RunKey } from './db-form.js';
import { dbSettingLabels as labels } from '../../shared/specs/setting-labels.js';

const poolFields: Array<{ key: PoolKey; label: string; hint?: string }> = [
  { key: 'max', label: labels['pool.max'] },
  { key: 'min', label: labels['pool.min'] },
  { key: 'idleTimeoutMillis', label: labels['pool.idleTimeoutMillis'] },
  { key: 'connectionTimeoutMillis', label: labels['pool.connectionTimeoutMillis'], hint: 'Never 0: that would wait forever' },
  {
    key: 'statementTimeoutMs',
    label: labels['pool.statementTimeoutMs'],
    hint: 'Server side, every statement; 30000 by default; 0 = none (a stuck statement then holds the run)',
  },
  { key: 'queryTimeoutMs', label: labels['pool.queryTimeoutMs'], hint: 'Client side; 0 = none' },
];

const runFields: Array<{ key: RunKey; label: string; hint?: string }> = [
  { key: 'concurrency', label: labels.concurrency, hint: 'Operations in flight' },
  { key: 'durationSec', label: labels.durationSec },
  { key: 'warmupSec', label: labels.warmupSec, hint: 'Left out of the results; 0 = none' },
  { key: 'operations', label: labels.operations, hint: '0 = until the duration ends' },
  { key: 'slowQueryMs', label: labels.slowQueryMs },
  { key: 'seed', label: labels.seed },
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
        <Field label={labels['workload.type']} error={errors['workload.type']} hint={dbWorkloadDescriptions[form.workload]}>
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
        <Field label={labels['pool.preparedStatements']} error={errors['pool.preparedStatements']}>
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
        <Field label={labels.name} error={errors.name} hint="Optional">
          {(props) => <input {...props} value={form.name} onChange={(event) => onChange({ ...form, name: event.target.value })} />}
        </Field>
      </div>
    </fieldset>
  );
}
