import { useId } from 'react';
import { describeKnobRange, describeKnobTarget, type ServiceDefinition } from '../../shared/specs/services.js';
import { Field } from '../components/Field.js';
import { loadSettingLabels as labels } from '../../shared/specs/setting-labels.js';
import {
  httpMethods,
  mixRow,
  suggestedPaths,
  type HttpMethod,
  type LoadForm,
  type LoadFormErrors,
  type LoadNumberKey,
  type LoadTargetChoice,
  type MixRow,
} from '../cluster/cluster-form.js';

interface NumberFieldSpec {
  key: LoadNumberKey;
  label: string;
  hint?: string;
}

const loadFields: NumberFieldSpec[] = [
  { key: 'connections', label: labels['load.connections'], hint: 'Sockets to the target' },
  { key: 'rate', label: labels['load.rate'], hint: 'Open loop only: the arrival rate' },
  { key: 'durationSec', label: labels['load.durationSec'], hint: 'Measured time, after the warm-up' },
  { key: 'warmupSec', label: labels['load.warmupSec'], hint: 'Sent but left out of the results' },
  { key: 'timeoutMs', label: labels['load.timeoutMs'], hint: 'Per request' },
  { key: 'requests', label: labels['load.requests'], hint: 'Optional: stop after this many' },
];

const targets: Record<LoadTargetChoice, { label: string; hint: string }> = {
  'running-cluster': { label: 'Running cluster', hint: 'The standing cluster below; it keeps running after the run' },
  cluster: { label: 'New cluster', hint: 'Started for this run with the settings above, stopped after' },
  url: { label: 'URL', hint: 'Any HTTP service, e.g. your own' },
  service: { label: 'Defined service', hint: 'One of your services (Services page), started for this run with the knobs below, stopped after' },
};

export function LoadFormView({
  form,
  errors,
  disabled,
  clusterRunning,
  services = [],
  onChange,
}: {
  form: LoadForm;
  errors: LoadFormErrors;
  disabled: boolean;
  clusterRunning: boolean;
  /** The defined services a run can start (the Services page's). */
  services?: readonly ServiceDefinition[];
  onChange: (form: LoadForm) => void;
}) {
  const set = <K extends keyof LoadForm>(key: K, value: LoadForm[K]) => onChange({ ...form, [key]: value });

  const numberInput = ({ key, label, hint }: NumberFieldSpec) => (
    <Field key={key} label={label} error={errors[key]} {...(hint ? { hint } : {})}>
      {(props) => (
        <input
          {...props}
          type="number" step="any" inputMode="decimal"
          value={form[key]}
          // The rate is kept while closed loop is chosen, but means nothing there.
          disabled={key === 'rate' && form.mode === 'closed'}
          onChange={(event) => set(key, event.target.value)}
        />
      )}
    </Field>
  );

  return (
    <fieldset className="form-grid two-column-form" disabled={disabled}>
      <legend className="visually-hidden">Load settings</legend>
      <div className="form-group">
        <h3>Target</h3>
        <Field
          label="Target"
          error={errors.cluster ?? errors.form}
          hint={form.target === 'running-cluster' && !clusterRunning ? 'Start the cluster first' : targets[form.target].hint}
        >
          {(props) => (
            <select {...props} value={form.target} onChange={(event) => set('target', event.target.value as LoadTargetChoice)}>
              {(Object.keys(targets) as LoadTargetChoice[]).map((choice) => (
                <option key={choice} value={choice}>
                  {targets[choice].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.target === 'url' && (
          <Field label={labels['target.url']} error={errors.url} hint="The mix's paths are appended to it">
            {(props) => <input {...props} type="url" value={form.url} onChange={(event) => set('url', event.target.value)} />}
          </Field>
        )}
        {form.target === 'service' && <ServiceTargetFields form={form} errors={errors} services={services} onChange={onChange} />}
        <Field label={labels['load.mode']} error={errors.mode} hint={form.mode === 'closed' ? 'Each connection waits for its answer' : 'A fixed arrival rate; queueing shows'}>
          {(props) => (
            <select {...props} value={form.mode} onChange={(event) => set('mode', event.target.value as LoadForm['mode'])}>
              <option value="closed">closed loop</option>
              <option value="open">open loop</option>
            </select>
          )}
        </Field>
        <Field label={labels.name} error={errors.name} hint="Optional">
          {(props) => <input {...props} value={form.name} onChange={(event) => set('name', event.target.value)} />}
        </Field>
      </div>
      <div className="form-group">
        <h3>Load</h3>
        {loadFields.map(numberInput)}
      </div>
      <RequestMixEditor rows={form.mix} errors={errors} onChange={(mix) => set('mix', mix)} />
    </fieldset>
  );
}

/** The service to start and its knobs: one box per declared knob, empty for its default. */
function ServiceTargetFields({
  form,
  errors,
  services,
  onChange,
}: {
  form: LoadForm;
  errors: LoadFormErrors;
  services: readonly ServiceDefinition[];
  onChange: (form: LoadForm) => void;
}) {
  const chosen = services.find((service) => service.name === form.service);
  return (
    <>
      <Field
        label="Service"
        error={errors.service}
        hint={services.length ? (chosen ? `${chosen.url} · ${chosen.command.join(' ')}` : 'Choose one') : 'Define one on the Services page first'}
      >
        {(props) => (
          <select {...props} value={form.service} onChange={(event) => onChange({ ...form, service: event.target.value, knobs: {} })}>
            <option value="">—</option>
            {services.map((service) => (
              <option key={service.name} value={service.name}>
                {service.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen?.knobs.map((knob) => (
        <Field
          key={knob.name}
          label={`Knob ${knob.name}`}
          error={errors[`knobs.${knob.name}`]}
          hint={`${describeKnobRange(knob)} · ${describeKnobTarget(knob)}${knob.default !== undefined ? ` · default ${String(knob.default)}` : ''}`}
        >
          {(props) =>
            knob.type === 'enum' || knob.type === 'boolean' ? (
              <select {...props} value={form.knobs[knob.name] ?? ''} onChange={(event) => onChange({ ...form, knobs: { ...form.knobs, [knob.name]: event.target.value } })}>
                <option value="">default</option>
                {(knob.type === 'enum' ? knob.values : ['true', 'false']).map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...props}
                type="number" step="any" inputMode="decimal"
                placeholder={knob.default !== undefined ? String(knob.default) : ''}
                value={form.knobs[knob.name] ?? ''}
                onChange={(event) => onChange({ ...form, knobs: { ...form.knobs, [knob.name]: event.target.value } })}
              />
            )
          }
        </Field>
      ))}
      {chosen && (
        <Field label="Database" error={errors.database} hint="embedded: the service gets DATABASE_URL on the embedded PostgreSQL">
          {(props) => (
            <select {...props} value={form.database} onChange={(event) => onChange({ ...form, database: event.target.value as LoadForm['database'] })}>
              <option value="">as defined ({chosen.database})</option>
              <option value="none">none</option>
              <option value="embedded">embedded</option>
            </select>
          )}
        </Field>
      )}
    </>
  );
}

function RequestMixEditor({ rows, errors, onChange }: { rows: MixRow[]; errors: LoadFormErrors; onChange: (rows: MixRow[]) => void }) {
  const pathsId = useId();
  const update = (id: number, change: Partial<MixRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  const rowError = (index: number) =>
    ['method', 'path', 'weight', 'body']
      .map((key) => errors[`mix.${index}.${key}`] && `${key}: ${errors[`mix.${index}.${key}`]}`)
      .filter(Boolean)
      .join('; ');

  return (
    <div className="form-group mix-editor">
      <h3>Request mix</h3>
      <datalist id={pathsId}>
        {suggestedPaths.map((path) => (
          <option key={path} value={path} />
        ))}
      </datalist>
      <table className="data-table mix-table" aria-label="Request mix">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">Weight</th>
            <th scope="col">Body</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const n = index + 1;
            const error = rowError(index);
            return (
              <tr key={row.id} className={error ? 'mix-row-invalid' : undefined}>
                <td>
                  <select
                    aria-label={`Method of endpoint ${n}`}
                    value={row.method}
                    onChange={(event) => update(row.id, { method: event.target.value as HttpMethod })}
                  >
                    {httpMethods.map((method) => (
                      <option key={method} value={method}>
                        {method}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Path of endpoint ${n}`}
                    aria-invalid={Boolean(error)}
                    list={pathsId}
                    value={row.path}
                    onChange={(event) => update(row.id, { path: event.target.value })}
                  />
                  {error && <span className="field-error">{error}</span>}
                </td>
                <td>
                  <input
                    aria-label={`Weight of endpoint ${n}`}
                    className="mix-weight"
                    type="number" step="any" inputMode="decimal"
                    value={row.weight}
                    onChange={(event) => update(row.id, { weight: event.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Body of endpoint ${n}`}
                    placeholder={row.method === 'GET' || row.method === 'HEAD' ? '' : '{"size": 50}'}
                    value={row.body}
                    onChange={(event) => update(row.id, { body: event.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove endpoint ${n}`}
                    disabled={rows.length === 1}
                    onClick={() => onChange(rows.filter((candidate) => candidate.id !== row.id))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {errors.mix && <span className="field-error">{errors.mix}</span>}
      <div>
        <button type="button" onClick={() => onChange([...rows, mixRow()])} disabled={rows.length >= 50}>
          Add endpoint
        </button>
      </div>
    </div>
  );
}
