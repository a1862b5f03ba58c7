import { coresWarning } from '../../shared/guardrails.js';
import { useCall } from '../app/use-call.js';
import { Field } from '../components/Field.js';
import type { ClusterForm, ClusterFormErrors, ClusterNumberKey, SchedulingPolicy } from './cluster-form.js';
import { clusterSettingLabels as labels } from '../../shared/specs/setting-labels.js';

interface NumberFieldSpec {
  key: ClusterNumberKey;
  label: string;
  hint?: string;
}

const processFields: NumberFieldSpec[] = [
  { key: 'workers', label: labels.workers, hint: '1 to 64 server processes' },
  { key: 'maxOldSpaceMb', label: labels.maxOldSpaceMb, hint: 'Optional, per worker' },
  { key: 'uvThreadpoolSize', label: labels.uvThreadpoolSize, hint: 'Optional; libuv default is 4' },
];

const serverFields: NumberFieldSpec[] = [
  { key: 'keepAliveTimeoutMs', label: labels.keepAliveTimeoutMs },
  { key: 'poolThreads', label: labels.poolThreads, hint: 'Worker threads in each server' },
  { key: 'probeIntervalMs', label: labels.probeIntervalMs, hint: '0 turns the probe off; else 100 to 60000' },
];

export function ClusterSettingsView({
  form,
  errors,
  disabled,
  onChange,
}: {
  form: ClusterForm;
  errors: ClusterFormErrors;
  disabled: boolean;
  onChange: (form: ClusterForm) => void;
}) {
  // More workers than cores: said beside the field, never refused.
  const cpuCount = useCall('app.info', {}).data?.cpuCount;
  const warnings: Partial<Record<ClusterNumberKey, string>> = { workers: coresWarning('workers', Number(form.workers), cpuCount) };
  const numberInput = ({ key, label, hint }: NumberFieldSpec) => (
    <Field key={key} label={label} error={errors[key]} warning={warnings[key]} {...(hint ? { hint } : {})}>
      {(props) => (
        <input {...props} type="number" step={1} min={0} inputMode="numeric" value={form[key]} onChange={(event) => onChange({ ...form, [key]: event.target.value })} />
      )}
    </Field>
  );

  return (
    <fieldset className="form-grid two-column-form" disabled={disabled}>
      <legend className="visually-hidden">Cluster settings</legend>
      <div className="form-group">
        <h3>Processes</h3>
        {processFields.map(numberInput)}
        <Field label="Scheduling policy" error={errors.scheduling} hint="How the primary hands connections to workers">
          {(props) => (
            <select
              {...props}
              value={form.scheduling}
              onChange={(event) => onChange({ ...form, scheduling: event.target.value as SchedulingPolicy })}
            >
              <option value="round-robin">round-robin</option>
              <option value="os">OS (the kernel decides)</option>
            </select>
          )}
        </Field>
      </div>
      <div className="form-group">
        <h3>Servers</h3>
        {serverFields.map(numberInput)}
        <Field label="Offload to pool" error={errors.offload} hint="/fibonacci, /primes, /matrix-multiply off the event loop">
          {(props) => (
            <input
              {...props}
              type="checkbox"
              className="checkbox"
              checked={form.offload}
              onChange={(event) => onChange({ ...form, offload: event.target.checked })}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}
