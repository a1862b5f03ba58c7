/**
 * Defines or edits a service saved in the app: its command (one argument per
 * line, no shell), directory, environment, URL, readiness, stop and knobs.
 * The engine's schema checks every field as you type; saving stores it in
 * the data directory.
 */
import { useMemo, useState } from 'react';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';
import { definitionFromForm, knobRow, type KnobRow, type ServiceForm } from './service-form.js';

export function ServiceEditor({
  initial,
  previousName,
  onSaved,
  onNew,
}: {
  initial: ServiceForm;
  /** The saved service this edits (a rename replaces it); absent for a new one. */
  previousName?: string | undefined;
  onSaved: (name: string) => void;
  onNew: () => void;
}) {
  const { client } = useServices();
  const [form, setForm] = useState(initial);
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ code?: string; message: string }>();
  const { definition, errors, valid } = useMemo(() => definitionFromForm(form), [form]);
  // A fresh form does not shout before anything was typed.
  const shown = touched ? errors : {};
  const set = <K extends keyof ServiceForm>(key: K, value: ServiceForm[K]) => {
    setTouched(true);
    setForm((current) => ({ ...current, [key]: value }));
  };
  const setKnob = (id: number, change: Partial<KnobRow>) => set('knobs', form.knobs.map((row) => (row.id === id ? { ...row, ...change } : row)));

  const save = async () => {
    setTouched(true);
    if (!valid) return;
    setSaving(true);
    setProblem(undefined);
    try {
      const { service } = await client.call('services.save', { service: definition, ...(previousName ? { previousName } : {}) });
      onSaved(service.name);
    } catch (thrown) {
      setProblem(errorOf(thrown));
    } finally {
      setSaving(false);
    }
  };

  const text = (key: keyof ServiceForm, label: string, hint?: string, placeholder?: string) => (
    <Field label={label} error={shown[key]} {...(hint ? { hint } : {})}>
      {(props) => <input {...props} value={form[key] as string} placeholder={placeholder} onChange={(event) => set(key, event.target.value as never)} />}
    </Field>
  );

  return (
    <section className="panel service-editor" aria-label="Define a service">
      <h2>{previousName ? `Edit ${previousName}` : 'Define a service'}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        <div className="form-grid two-column-form">
          <div className="form-group">
            <h3>Process</h3>
            {text('name', 'Name', 'How specs and sweeps refer to it')}
            <Field label="Command" error={shown.command} hint="One argument per line, run without a shell; node means the host's Node.js">
              {(props) => <textarea {...props} rows={3} value={form.command} onChange={(event) => set('command', event.target.value)} />}
            </Field>
            {text('directory', 'Directory', 'Absolute path it runs in', '/home/me/src/orders-api')}
            <Field label="Environment" error={shown.env} hint="NAME=value, one per line; knobs add theirs">
              {(props) => <textarea {...props} rows={3} value={form.env} onChange={(event) => set('env', event.target.value)} />}
            </Field>
            <Field label="Database" error={shown.database} hint="embedded: DATABASE_URL to a database of its own on the embedded PostgreSQL">
              {(props) => (
                <select {...props} value={form.database} onChange={(event) => set('database', event.target.value as ServiceForm['database'])}>
                  <option value="none">none</option>
                  <option value="embedded">embedded</option>
                </select>
              )}
            </Field>
            {text('description', 'Description', 'Optional')}
          </div>
          <div className="form-group">
            <h3>Where and when</h3>
            {text('url', 'URL', 'Where it answers; load runs send their requests here')}
            <Field label="Ready when" error={shown.readyType}>
              {(props) => (
                <select {...props} value={form.readyType} onChange={(event) => set('readyType', event.target.value as ServiceForm['readyType'])}>
                  <option value="http">an HTTP path answers 2xx</option>
                  <option value="log">an output line matches</option>
                </select>
              )}
            </Field>
            {form.readyType === 'http' ? text('readyPath', 'Readiness path', 'GET on the URL above') : text('readyPattern', 'Readiness pattern', 'A regular expression')}
            {text('readyTimeoutSec', 'Readiness timeout (s)')}
            {text('stopTimeoutSec', 'Stop timeout (s)', 'SIGTERM, then SIGKILL after this long')}
          </div>
        </div>
        <h3>Knobs</h3>
        <p className="muted">The settings to tune. Specs and sweeps set only these, within their range or list (sweep axis: target.knobs.&lt;name&gt;).</p>
        {!!form.knobs.length && (
          <table className="data-table knob-table" aria-label="Knobs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">Values</th>
                <th scope="col">Default</th>
                <th scope="col">Applied as</th>
                <th scope="col">Variable, flag or option</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {form.knobs.map((row, index) => {
                const error = ['name', 'type', 'min', 'max', 'values', 'default', 'env', 'flag', 'nodeOption', 'flagStyle']
                  .map((key) => shown[`knobs.${index}.${key}`] && `${key}: ${shown[`knobs.${index}.${key}`]}`)
                  .filter(Boolean)
                  .join('; ');
                const numeric = row.type === 'integer' || row.type === 'number';
                return (
                  <tr key={row.id}>
                    <td>
                      <input aria-label={`Knob ${index + 1} name`} value={row.name} onChange={(event) => setKnob(row.id, { name: event.target.value })} />
                      {error && <span className="field-error">{error}</span>}
                    </td>
                    <td>
                      <select aria-label={`Knob ${index + 1} type`} value={row.type} onChange={(event) => setKnob(row.id, { type: event.target.value as KnobRow['type'] })}>
                        <option value="integer">integer</option>
                        <option value="number">number</option>
                        <option value="enum">enum</option>
                        <option value="boolean">boolean</option>
                      </select>
                    </td>
                    <td>
                      <input aria-label={`Knob ${index + 1} min`} disabled={!numeric} value={row.min} onChange={(event) => setKnob(row.id, { min: event.target.value })} />
                    </td>
                    <td>
                      <input aria-label={`Knob ${index + 1} max`} disabled={!numeric} value={row.max} onChange={(event) => setKnob(row.id, { max: event.target.value })} />
                    </td>
                    <td>
                      <input
                        aria-label={`Knob ${index + 1} values`}
                        disabled={row.type !== 'enum'}
                        placeholder="a, b, c"
                        value={row.values}
                        onChange={(event) => setKnob(row.id, { values: event.target.value })}
                      />
                    </td>
                    <td>
                      <input aria-label={`Knob ${index + 1} default`} value={row.default} onChange={(event) => setKnob(row.id, { default: event.target.value })} />
                    </td>
                    <td>
                      <select aria-label={`Knob ${index + 1} applied as`} value={row.target} onChange={(event) => setKnob(row.id, { target: event.target.value as KnobRow['target'] })}>
                        <option value="env">environment variable</option>
                        <option value="flag">command-line flag</option>
                        <option value="nodeOption">Node option</option>
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={`Knob ${index + 1} variable, flag or option`}
                        placeholder={row.target === 'env' ? 'PG_POOL_MAX' : row.target === 'flag' ? '--threads' : '--max-old-space-size'}
                        value={row.targetName}
                        onChange={(event) => setKnob(row.id, { targetName: event.target.value })}
                      />
                      {row.target === 'flag' && (
                        <select aria-label={`Knob ${index + 1} flag style`} value={row.flagStyle} onChange={(event) => setKnob(row.id, { flagStyle: event.target.value as KnobRow['flagStyle'] })}>
                          <option value="equals">--flag=value</option>
                          <option value="separate">--flag value</option>
                        </select>
                      )}
                    </td>
                    <td>
                      <button type="button" aria-label={`Remove knob ${index + 1}`} onClick={() => set('knobs', form.knobs.filter((other) => other.id !== row.id))}>
                        ×
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="actions">
          <button type="button" onClick={() => set('knobs', [...form.knobs, knobRow()])}>
            Add a knob
          </button>
        </div>
        {touched && shown.form && <ErrorNote error={{ message: shown.form }} />}
        {problem && <ErrorNote error={problem} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving || (touched && !valid)}>
            {saving ? 'Saving…' : previousName ? 'Save changes' : 'Save service'}
          </button>
          {previousName && (
            <button type="button" onClick={onNew}>
              New service instead
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
