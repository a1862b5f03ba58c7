import { useMemo, useState } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import { EMBEDDED_TARGET } from '../../shared/specs/db.js';
import { useServices } from '../app/services.js';
import { useAction } from '../app/use-action.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';

type TestResult = CallResponse<'db.testConnection'>;

const emptyDraft = { id: '', name: '', url: '', password: '' };

/**
 * Picks where a run connects (embedded by default), tests it, adds profiles,
 * and drops Tunebench's schema. Passwords go to the engine once and never come back.
 */
export function ConnectionPanel({
  target,
  disabled,
  onChange,
  runState,
}: {
  target: string;
  disabled: boolean;
  onChange: (target: string) => void;
  /** The page's current run and its status: a run starts the embedded server (and may see it go), so the status is read again when it changes. */
  runState?: string;
}) {
  const { client } = useServices();
  const [tested, setTested] = useState<TestResult>();
  const profilesCall = useCall('db.profiles.list', {});
  // Testing the embedded server or running on it starts it: its status is read again after each test and run.
  const refreshOn = useMemo(() => ({ tested, runState }), [tested, runState]);
  const embeddedCall = useCall('db.embedded.status', {}, { refreshOn });
  const profiles = profilesCall.data;
  const embedded = embeddedCall.data;
  const [notice, setNotice] = useState<string>();
  const { busy, problem: actionProblem, run } = useAction();
  const problem = actionProblem ?? profilesCall.error ?? embeddedCall.error;
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState(emptyDraft);

  /** A notice belongs to the action that made it: the next one clears it. */
  const act = (action: () => Promise<void>) => {
    setNotice(undefined);
    return run(action);
  };

  const test = () =>
    act(async () => {
      setTested(undefined);
      setTested(await client.call('db.testConnection', { target }));
    });

  const dropSchema = () =>
    act(async () => {
      if (!window.confirm('Drop the schema "tunebench" and every table Tunebench created in it on this connection?')) return;
      const result = await client.call('db.dropSchema', { target });
      setNotice(result.dropped ? `Dropped schema tunebench on ${result.target}.` : `No tunebench schema on ${result.target}.`);
    });

  const save = () =>
    act(async () => {
      const { profile } = await client.call('db.profiles.save', {
        profile: {
          id: draft.id.trim(),
          name: draft.name.trim() || draft.id.trim(),
          url: draft.url.trim(),
          ...(draft.password ? { password: draft.password } : {}),
        },
      });
      setDraft(emptyDraft);
      setAdding(false);
      profilesCall.reload();
      onChange(profile.id);
    });

  const remove = () =>
    act(async () => {
      await client.call('db.profiles.delete', { id: target });
      onChange(EMBEDDED_TARGET);
      profilesCall.reload();
    });

  return (
    <div className="form-group" role="group" aria-label="Connection">
      <h3>Connection</h3>
      <Field
        label="Database"
        hint={
          target === EMBEDDED_TARGET
            ? `Embedded PostgreSQL (${embedded?.state ?? 'unknown'}${embedded?.version ? `, ${embedded.version}` : ''}); starts on first use`
            : 'A saved connection profile'
        }
      >
        {(props) => (
          <select {...props} value={target} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
            <option value={EMBEDDED_TARGET}>Embedded PostgreSQL</option>
            {profiles?.profiles.map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.name} ({profile.user}@{profile.host}:{profile.port}/{profile.database})
              </option>
            ))}
          </select>
        )}
      </Field>
      {target === EMBEDDED_TARGET && embedded && (
        <p className="muted embedded-location" aria-label="Embedded cluster location">
          {embedded.dataDirNote ? `Its cluster is ${embedded.dataDirNote}.` : `Its cluster is in ${embedded.dataDir}.`}
          {embedded.error ? ` Last problem: ${embedded.error}` : ''}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => void test()} disabled={busy}>
          Test connection
        </button>
        <button type="button" onClick={() => setAdding(!adding)} disabled={busy || disabled}>
          {adding ? 'Cancel' : 'Add profile'}
        </button>
        {target !== EMBEDDED_TARGET && (
          <button type="button" onClick={() => void remove()} disabled={busy || disabled}>
            Delete profile
          </button>
        )}
        <button type="button" onClick={() => void dropSchema()} disabled={busy || disabled}>
          Drop tunebench schema
        </button>
      </div>
      {tested && (
        <p className="muted" role="status">
          Connected to {tested.target}: PostgreSQL {tested.serverVersion}, connect {tested.connectMs} ms, round trip{' '}
          {tested.roundTripMs} ms{tested.pgStatStatements ? ', pg_stat_statements available' : ''}.
        </p>
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {problem && <ErrorNote error={problem} />}
      {adding && (
        <div className="form-grid">
          <Field label="Profile id" hint="Letters, digits, _ or -">
            {(props) => <input {...props} value={draft.id} onChange={(event) => setDraft({ ...draft, id: event.target.value })} />}
          </Field>
          <Field label="Profile name">
            {(props) => <input {...props} value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />}
          </Field>
          <Field label="Connection URL" hint="postgres://user@host:5432/db?sslmode=require&application_name=tunebench">
            {(props) => <input {...props} value={draft.url} onChange={(event) => setDraft({ ...draft, url: event.target.value })} />}
          </Field>
          <Field label="Password" hint={profiles?.secrets.warning ?? `Kept in ${profiles?.secrets.backend ?? 'the secret store'}`}>
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                value={draft.password}
                onChange={(event) => setDraft({ ...draft, password: event.target.value })}
              />
            )}
          </Field>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void save()} disabled={busy || !draft.id.trim() || !draft.url.trim()}>
              Save profile
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
