import type { PoolImplementation, TaskName } from '../../shared/specs/index.js';
import { taskDescriptions, taskNames } from '../../shared/specs/index.js';
import { coresWarning } from '../../shared/guardrails.js';
import { useCall } from '../app/use-call.js';
import { Field } from '../components/Field.js';
import { paramKeys, type PoolForm, type PoolFormErrors } from './pool-form.js';
import { poolSettingLabels as labels, taskParamLabel } from '../../shared/specs/setting-labels.js';

type NumberKey =
  | 'threads'
  | 'maxQueue'
  | 'jobs'
  | 'concurrency'
  | 'maxOldGenerationMb'
  | 'warmupSec'
  | 'warmupJobs'
  | 'sampleIntervalMs'
  | 'timeLimitSec';

interface NumberFieldSpec {
  key: NumberKey;
  label: string;
  hint?: string;
}

const poolFields: NumberFieldSpec[] = [
  { key: 'threads', label: labels['pool.threads'] },
  { key: 'maxQueue', label: labels['pool.maxQueue'], hint: 'Jobs allowed to wait; more are rejected' },
  { key: 'maxOldGenerationMb', label: labels['pool.maxOldGenerationMb'], hint: 'Optional, per worker' },
];

const loadFields: NumberFieldSpec[] = [
  { key: 'jobs', label: labels.jobs },
  { key: 'concurrency', label: labels.concurrency, hint: 'Jobs kept in flight' },
  { key: 'warmupSec', label: labels.warmupSec, hint: 'Left out of the results; blank: 1 s or a tenth of the jobs' },
  { key: 'warmupJobs', label: labels.warmupJobs, hint: 'Finished jobs that end the warm-up, if they come first' },
  { key: 'sampleIntervalMs', label: labels.sampleIntervalMs },
  { key: 'timeLimitSec', label: labels.timeLimitSec },
];

export function PoolFormView({
  form,
  errors,
  disabled,
  onChange,
}: {
  form: PoolForm;
  errors: PoolFormErrors;
  disabled: boolean;
  onChange: (form: PoolForm) => void;
}) {
  const set = <K extends keyof PoolForm>(key: K, value: PoolForm[K]) => onChange({ ...form, [key]: value });
  const setParam = (key: string, value: string) =>
    onChange({ ...form, params: { ...form.params, [form.task]: { ...form.params[form.task], [key]: value } } });

  // More threads than cores: said beside the field, never refused.
  const cpuCount = useCall('app.info', {}).data?.cpuCount;
  const warnings: Partial<Record<NumberKey, string>> = { threads: coresWarning('threads', Number(form.threads), cpuCount) };
  const numberInput = ({ key, label, hint }: NumberFieldSpec) => (
    <Field key={key} label={label} error={errors[key]} warning={warnings[key]} {...(hint ? { hint } : {})}>
      {(props) => (
        <input
          {...props}
          type="number" step={1} min={0} inputMode="numeric"
          value={form[key]}
          disabled={disabled}
          onChange={(event) => set(key, event.target.value)}
        />
      )}
    </Field>
  );

  return (
    <fieldset className="form-grid" disabled={disabled}>
      <legend className="visually-hidden">Pool experiment</legend>
      <div className="form-group">
        <h3>Task</h3>
        <Field label={labels['task.name']} error={errors.task} hint={taskDescriptions[form.task]}>
          {(props) => (
            <select {...props} value={form.task} onChange={(event) => set('task', event.target.value as TaskName)}>
              {taskNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {paramKeys(form.task).map((key) => (
          <Field key={`${form.task}.${key}`} label={taskParamLabel(key)} error={errors[`param.${key}`]}>
            {(props) => (
              <input
                {...props}
                type="number" step="any" inputMode="decimal"
                value={form.params[form.task][key] ?? ''}
                onChange={(event) => setParam(key, event.target.value)}
              />
            )}
          </Field>
        ))}
      </div>
      <div className="form-group">
        <h3>Pool</h3>
        <Field label={labels['pool.implementation']} error={errors.implementation}>
          {(props) => (
            <select
              {...props}
              value={form.implementation}
              onChange={(event) => set('implementation', event.target.value as PoolImplementation)}
            >
              <option value="piscina">piscina</option>
              <option value="simple">simple</option>
            </select>
          )}
        </Field>
        {poolFields.map(numberInput)}
      </div>
      <div className="form-group">
        <h3>Load</h3>
        {loadFields.map(numberInput)}
        <Field label={labels.name} error={errors.name} hint="Optional">
          {(props) => <input {...props} value={form.name} onChange={(event) => set('name', event.target.value)} />}
        </Field>
      </div>
    </fieldset>
  );
}
