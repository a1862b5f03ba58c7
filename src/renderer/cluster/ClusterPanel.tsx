import { useMemo, useState } from 'react';
import type { ClusterSettings, ClusterStatus } from '../../shared/specs/cluster.js';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { EventsList } from '../components/EventsList.js';
import { Field } from '../components/Field.js';
import { formatDuration } from '../format.js';
import {
  defaultFaultForm,
  faultErrors,
  faultFromForm,
  settingsFromForm,
  type ClusterForm,
  type FaultForm,
} from './cluster-form.js';
import { ClusterSettingsView } from './ClusterSettingsView.js';
import { createDraft, useDraft } from '../runs/drafts.js';
import type { ClusterView } from './use-cluster.js';
import { WorkerTable, type FaultAction } from './WorkerTable.js';

/** The fault numbers survive a visit to another page, like the forms. */
const faultDraft = createDraft<FaultForm>(defaultFaultForm());

const faultFields: Array<{ key: keyof FaultForm; label: string }> = [
  { key: 'blockMs', label: 'Block for (ms)' },
  { key: 'leakMbPerSecond', label: 'Leak (MB/s)' },
  { key: 'leakSeconds', label: 'Leak for (s)' },
];

function describeSettings(settings: ClusterSettings): string {
  return [
    `${settings.workers} workers`,
    settings.scheduling,
    `${settings.poolThreads} pool threads`,
    settings.offload ? 'offload on' : 'offload off',
    `keep-alive ${settings.keepAliveTimeoutMs} ms`,
    ...(settings.maxOldSpaceMb ? [`max old space ${settings.maxOldSpaceMb} MB`] : []),
    ...(settings.uvThreadpoolSize ? [`UV threadpool ${settings.uvThreadpoolSize}`] : []),
  ].join(', ');
}

function ClusterFacts({ status }: { status: ClusterStatus }) {
  return (
    <dl className="facts" aria-label="Cluster facts">
      {status.address && (
        <>
          <dt>Address</dt>
          <dd>{status.address}</dd>
        </>
      )}
      {status.supervisorPid !== undefined && (
        <>
          <dt>Supervisor pid</dt>
          <dd>{status.supervisorPid}</dd>
        </>
      )}
      {status.runtime && (
        <>
          <dt>Runtime</dt>
          <dd>{status.runtime}</dd>
        </>
      )}
      {status.settings && (
        <>
          <dt>Settings</dt>
          <dd>{describeSettings(status.settings)}</dd>
        </>
      )}
    </dl>
  );
}

/** The standing test-server cluster: its settings, Start/Stop/Rolling restart, its workers with fault buttons, its timeline. */
export function ClusterPanel({
  cluster,
  form,
  onFormChange,
}: {
  cluster: ClusterView;
  form: ClusterForm;
  onFormChange: (form: ClusterForm) => void;
}) {
  const { client } = useServices();
  const [pending, setPending] = useState<'start' | 'stop' | 'rolling'>();
  const [faultSlot, setFaultSlot] = useState<number>();
  const [error, setError] = useState<{ code?: string; message: string }>();
  const [note, setNote] = useState<string>();
  const [faultForm, setFaultForm] = useDraft(faultDraft);

  const { settings, errors, valid } = useMemo(() => settingsFromForm(form), [form]);
  const faultProblems = useMemo(() => faultErrors(faultForm), [faultForm]);
  const state = cluster.status?.state ?? 'stopped';
  const workers = cluster.status?.workers ?? [];

  /** Runs one cluster call at a time; its outcome becomes the note or the error under the buttons. */
  const act = async (kind: 'start' | 'stop' | 'rolling', call: () => Promise<string | undefined>) => {
    setPending(kind);
    setError(undefined);
    setNote(undefined);
    try {
      setNote(await call());
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setPending(undefined);
    }
  };

  const start = () =>
    act('start', async () => {
      cluster.accept(await client.call('cluster.start', { settings }));
      return undefined;
    });
  const stop = () =>
    act('stop', async () => {
      cluster.accept(await client.call('cluster.stop', {}));
      return undefined;
    });
  const rollingRestart = () =>
    act('rolling', async () => {
      const { durationMs } = await client.call('cluster.rollingRestart', {});
      return `Rolling restart finished in ${formatDuration(durationMs)}.`;
    });

  const injectFault = async (action: FaultAction, slot: number) => {
    const fault = faultFromForm(action, slot, faultForm);
    if (!fault) {
      setError({ message: 'Fix the fault settings first' });
      return;
    }
    setFaultSlot(slot);
    setError(undefined);
    setNote(undefined);
    try {
      const { message } = await client.call('cluster.fault', { fault });
      setNote(`Fault injected: ${message}.`);
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setFaultSlot(undefined);
    }
  };

  return (
    <section className="panel" aria-label="Cluster">
      <div className="run-heading">
        <h2>Test-server cluster</h2>
        <span className={`state-badge state-${state}`} role="status" aria-label="Cluster state">
          {state}
        </span>
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) void start();
        }}
        noValidate
      >
        <ClusterSettingsView form={form} errors={errors} disabled={pending === 'start'} onChange={onFormChange} />
        {errors.form && <ErrorNote error={{ message: errors.form }} title="Settings" />}
        <div className="actions">
          <button type="submit" className="primary" disabled={!valid || state !== 'stopped' || pending !== undefined}>
            Start cluster
          </button>
          <button type="button" onClick={() => void stop()} disabled={state !== 'running' || pending !== undefined}>
            Stop cluster
          </button>
          <button type="button" onClick={() => void rollingRestart()} disabled={state !== 'running' || pending !== undefined}>
            Rolling restart
          </button>
          {pending && <span className="muted">{pending === 'start' ? 'Starting…' : pending === 'stop' ? 'Draining and stopping…' : 'Restarting one worker at a time…'}</span>}
        </div>
      </form>
      {cluster.error && <ErrorNote error={cluster.error} title="Could not read the cluster's status" />}
      {error && <ErrorNote error={error} />}
      {note && (
        <p className="note" role="status">
          {note}
        </p>
      )}
      {cluster.status && cluster.status.state !== 'stopped' && <ClusterFacts status={cluster.status} />}

      <fieldset className="fault-settings">
        <legend>Fault settings</legend>
        {faultFields.map(({ key, label }) => (
          <Field key={key} label={label} error={faultProblems[key]}>
            {(props) => (
              <input
                {...props}
                type="number" step={1} min={0} inputMode="numeric"
                value={faultForm[key]}
                onChange={(event) => setFaultForm({ ...faultForm, [key]: event.target.value })}
              />
            )}
          </Field>
        ))}
      </fieldset>
      {workers.length > 0 ? (
        <WorkerTable workers={workers} pendingSlot={faultSlot} onFault={(action, slot) => void injectFault(action, slot)} />
      ) : (
        <p className="muted">No cluster is running. Start one to see its workers here.</p>
      )}
      <EventsList title="Cluster timeline" events={cluster.events} clockFrom={cluster.since} />
      {cluster.eventsDropped > 0 && <p className="muted">Older events were dropped; a load run keeps all of its own.</p>}
    </section>
  );
}
