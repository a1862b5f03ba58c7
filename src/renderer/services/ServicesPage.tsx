/**
 * Your own services: define and edit them (command, directory, environment,
 * readiness, stop, knobs), start and stop one by hand with chosen knob
 * values, read its output live and look inside its processes. A folder's
 * tunebench.services.json is loaded only after you confirm you trust the
 * folder: its commands run on this machine. Load runs and sweeps start
 * defined services by name (the Load page's "Defined service" target).
 */
import { useEffect, useMemo, useState } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import {
  describeKnobRange,
  describeKnobTarget,
  type FolderInspection,
  type ServiceProcessInfo,
  type ServiceSource,
  type ServiceStatus,
  type ServiceView,
} from '../../shared/specs/services.js';
import type { PageProps } from '../app/pages.js';
import { useServices } from '../app/services.js';
import { useAction } from '../app/use-action.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { knobValuesFromForm, type KnobType } from '../cluster/cluster-form.js';
import { formatNumber } from '../format.js';
import { ServiceEditor } from './ServiceEditor.js';
import { ServiceLogTail, useServiceLog } from './ServiceLogTail.js';
import { emptyServiceForm, formFromDefinition, type ServiceForm } from './service-form.js';
import './services.css';

type Listing = CallResponse<'services.list'>;

function sourceText(source: ServiceSource): string {
  switch (source.type) {
    case 'app':
      return 'saved in the app';
    case 'folder':
      return `folder ${source.folder}`;
    case 'command-line':
      return `--services ${source.file}`;
  }
}

/** The latest status of each service started by hand: the list's, then whatever the stream said since. */
function useStatuses(listing: Listing | undefined): Map<string, ServiceStatus> {
  const { client } = useServices();
  const [told, setTold] = useState<Map<string, ServiceStatus>>(new Map());
  useEffect(() => client.on('service.status', (status) => setTold((previous) => new Map(previous).set(status.name, status))), [client]);
  return useMemo(() => {
    const merged = new Map<string, ServiceStatus>();
    for (const view of listing?.services ?? []) if (view.status && !view.shadowedBy) merged.set(view.definition.name, view.status);
    for (const [name, status] of told) merged.set(name, status);
    return merged;
  }, [listing, told]);
}

export function ServicesPage(_props: PageProps) {
  const listed = useCall('services.list', {});
  const listing = listed.data;
  const statuses = useStatuses(listing);
  const [selected, setSelected] = useState<string>();
  // Each new editing session gets a fresh editor (the version keys it).
  const [editing, setEditing] = useState<{ form: ServiceForm; previousName?: string | undefined; version: number }>({ form: emptyServiceForm(), version: 0 });
  const edit = (form: ServiceForm, previousName?: string) => setEditing((current) => ({ form, previousName, version: current.version + 1 }));

  const usable = (listing?.services ?? []).filter((view) => !view.shadowedBy);
  const chosen = usable.find((view) => view.definition.name === selected) ?? usable[0];

  return (
    <div className="page">
      <header className="page-header">
        <h1>Services</h1>
        <p className="page-intro">
          Your own Node.js services, as experiment subjects: the command that starts one, where it answers, how to tell it is ready, and its
          knobs, the settings you want to tune (an environment variable, a flag or a Node option each). Load runs and sweeps start a service with
          the knob values they are given, probe every Node process of it, and stop it when they end.
        </p>
      </header>

      <section className="panel" aria-label="Your services">
        <h2>Your services</h2>
        {listed.error && <ErrorNote error={listed.error} />}
        {listing && !listing.services.length && (
          <p className="muted">No services yet: define one below, or load a folder&apos;s tunebench.services.json.</p>
        )}
        {!!listing?.services.length && (
          <table className="data-table" aria-label="Services">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Command</th>
                <th scope="col">Knobs</th>
                <th scope="col">From</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {listing.services.map((view) => (
                <ServiceRow
                  key={`${view.definition.name}-${sourceText(view.source)}`}
                  view={view}
                  status={view.shadowedBy ? undefined : statuses.get(view.definition.name)}
                  onOpen={() => setSelected(view.definition.name)}
                  onEdit={() => edit(formFromDefinition(view.definition), view.source.type === 'app' ? view.definition.name : undefined)}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>

      {chosen && <ServiceDetail key={chosen.definition.name} view={chosen} status={statuses.get(chosen.definition.name)} onDeleted={listed.reload} />}

      <ServiceEditor
        key={editing.version}
        initial={editing.form}
        previousName={editing.previousName}
        onSaved={(name) => {
          listed.reload();
          setSelected(name);
          edit(emptyServiceForm());
        }}
        onNew={() => edit(emptyServiceForm())}
      />

      <FolderTrust folders={listing?.folders ?? []} onChanged={listed.reload} />
    </div>
  );
}

function ServiceRow({ view, status, onOpen, onEdit }: { view: ServiceView; status: ServiceStatus | undefined; onOpen: () => void; onEdit: () => void }) {
  const { definition, source, shadowedBy } = view;
  const state = status?.state ?? 'stopped';
  return (
    <tr>
      <th scope="row">
        {definition.name}
        {shadowedBy && <span className="muted"> (shadowed by {sourceText(shadowedBy)})</span>}
      </th>
      <td className="nowrap">{definition.url}</td>
      <td className="service-command">{definition.command.join(' ')}</td>
      <td>{definition.knobs.map((knob) => knob.name).join(', ') || '—'}</td>
      <td>{sourceText(source)}</td>
      <td>
        <span className={`service-state service-state-${state}`}>{state}</span>
      </td>
      <td className="nowrap">
        {!shadowedBy && (
          <button type="button" onClick={onOpen}>
            Open
          </button>
        )}{' '}
        <button type="button" onClick={onEdit}>
          {source.type === 'app' ? 'Edit' : 'Copy into the app'}
        </button>
      </td>
    </tr>
  );
}

/** One service: start it with knob values, stop it, its processes and its output. */
function ServiceDetail({ view, status, onDeleted }: { view: ServiceView; status: ServiceStatus | undefined; onDeleted: () => void }) {
  const { client } = useServices();
  const { definition } = view;
  const [knobs, setKnobs] = useState<Record<string, string>>({});
  const { pending: busy, problem, run } = useAction<'start' | 'stop' | 'delete'>();
  const earlier = useCall('services.log', { name: definition.name });
  const lines = useServiceLog(definition.name, undefined, earlier.data?.lines);
  const state = status?.state ?? 'stopped';
  const running = state === 'running' || state === 'starting' || state === 'stopping';
  const knobTypes = Object.fromEntries(definition.knobs.map((knob) => [knob.name, knob.type])) as Record<string, KnobType>;
  const knobErrors: Record<string, string> = {};
  const values = knobValuesFromForm(knobs, knobTypes, knobErrors);

  const act = (what: 'start' | 'stop' | 'delete') =>
    run(async () => {
      if (what === 'start') await client.call('services.start', { name: definition.name, knobs: values });
      else if (what === 'stop') await client.call('services.stop', { name: definition.name });
      else if (window.confirm(`Delete the service "${definition.name}" saved in the app?`)) {
        await client.call('services.delete', { name: definition.name });
        onDeleted();
      }
    }, what);

  return (
    <section className="panel service-detail" aria-label={`Service ${definition.name}`}>
      <h2>
        {definition.name} <span className={`service-state service-state-${state}`}>{state}</span>
        {status?.pid !== undefined && <span className="muted"> · pid {status.pid}</span>}
      </h2>
      {definition.description && <p className="muted">{definition.description}</p>}
      <p className="muted">
        <span className="service-command">{definition.command.join(' ')}</span> in <span className="path">{definition.directory}</span>; ready when{' '}
        {definition.ready.type === 'http' ? `GET ${definition.ready.path} answers 2xx` : `a line matches /${definition.ready.pattern}/`} within{' '}
        {definition.ready.timeoutSec} s; stopped with SIGTERM, SIGKILL after {definition.stop.timeoutSec} s
        {definition.database === 'embedded' ? '; gets DATABASE_URL on the embedded PostgreSQL' : ''}.
      </p>
      {!!definition.knobs.length && (
        <div className="form-grid">
          {definition.knobs.map((knob) => (
            <div key={knob.name} className={knobErrors[`knobs.${knob.name}`] ? 'field field-invalid' : 'field'}>
              <label htmlFor={`knob-${definition.name}-${knob.name}`}>Knob {knob.name}</label>
              <input
                id={`knob-${definition.name}-${knob.name}`}
                value={knobs[knob.name] ?? ''}
                placeholder={knob.default !== undefined ? String(knob.default) : 'service default'}
                disabled={running}
                onChange={(event) => setKnobs({ ...knobs, [knob.name]: event.target.value })}
              />
              <span className={knobErrors[`knobs.${knob.name}`] ? 'field-error' : 'field-hint'}>
                {knobErrors[`knobs.${knob.name}`] ?? `${describeKnobRange(knob)} · ${describeKnobTarget(knob)}`}
              </span>
            </div>
          ))}
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={running || busy !== undefined || Object.keys(knobErrors).length > 0} onClick={() => void act('start')}>
          {busy === 'start' ? 'Starting…' : 'Start'}
        </button>
        <button type="button" disabled={!running || busy === 'stop'} onClick={() => void act('stop')}>
          {busy === 'stop' ? 'Stopping…' : 'Stop'}
        </button>
        {view.source.type === 'app' && (
          <button type="button" disabled={running || busy !== undefined} onClick={() => void act('delete')}>
            Delete
          </button>
        )}
        {status?.message && <span className="muted">{status.state === 'failed' ? 'Failed: ' : ''}{status.message.split('\n')[0]}</span>}
      </div>
      {problem && <ErrorNote error={problem} />}
      {running && <ProcessTable processes={status?.processes ?? []} />}
      <div>
        <h3>Output</h3>
        <ServiceLogTail lines={lines} label={`Output of ${definition.name}`} empty={running ? 'No output yet.' : 'Start the service to see its output.'} />
      </div>
    </section>
  );
}

type Inspection =
  | { type: 'snapshot'; pid: number; value: CallResponse<'runtime.heapSnapshot'> }
  | { type: 'cpu'; pid: number; value: CallResponse<'runtime.cpuProfile'> };

/** The service's Node processes as their probes report them, each inspectable (heap snapshot, CPU profile). */
function ProcessTable({ processes }: { processes: readonly ServiceProcessInfo[] }) {
  const { client } = useServices();
  const { pending: busy, problem, run } = useAction<string>();
  const [result, setResult] = useState<Inspection>();
  const inspect = (process: ServiceProcessInfo, what: 'snapshot' | 'cpu') =>
    run(async () => {
      setResult(
        what === 'snapshot'
          ? { type: 'snapshot', pid: process.pid, value: await client.call('runtime.heapSnapshot', { processId: process.processId, confirmLarge: true }) }
          : { type: 'cpu', pid: process.pid, value: await client.call('runtime.cpuProfile', { processId: process.processId, seconds: 3 }) },
      );
    }, `${process.processId}:${what}`);
  return (
    <div>
      <h3>Processes</h3>
      {!processes.length ? (
        <p className="muted">Waiting for the probe of its processes…</p>
      ) : (
        <table className="data-table" aria-label="Service processes">
          <thead>
            <tr>
              <th scope="col">Process</th>
              <th scope="col">pid</th>
              <th scope="col">parent</th>
              <th scope="col" className="num">Heap used</th>
              <th scope="col" className="num">RSS</th>
              <th scope="col" className="num">CPU</th>
              <th scope="col" className="num">Event-loop delay p99</th>
              <th scope="col">
                <span className="visually-hidden">Inspect</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {processes.map((process) => (
              <tr key={process.processId}>
                <th scope="row">{process.index}</th>
                <td>{process.pid}</td>
                <td>{process.ppid ?? ''}</td>
                <td className="num">{process.heapUsedMb === undefined ? '…' : `${formatNumber(process.heapUsedMb)} MB`}</td>
                <td className="num">{process.rssMb === undefined ? '…' : `${formatNumber(process.rssMb)} MB`}</td>
                <td className="num">{process.cpuPercent === undefined ? '…' : `${formatNumber(process.cpuPercent)} %`}</td>
                <td className="num">{process.eldP99Ms === undefined ? '…' : `${formatNumber(process.eldP99Ms)} ms`}</td>
                <td className="nowrap">
                  <button type="button" disabled={busy !== undefined || !process.connected} onClick={() => void inspect(process, 'snapshot')}>
                    Heap snapshot
                  </button>{' '}
                  <button type="button" disabled={busy !== undefined || !process.connected} onClick={() => void inspect(process, 'cpu')}>
                    {busy === `${process.processId}:cpu` ? 'Profiling 3 s…' : 'CPU profile 3 s'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problem && <ErrorNote error={problem} />}
      {result && (
        <table className="data-table" aria-label="Inspection">
          <caption>
            {result.type === 'snapshot'
              ? `Heap snapshot of pid ${result.pid}: ${formatNumber(result.value.summary.totalSize / 1024 / 1024)} MB in ${formatNumber(result.value.summary.totalCount)} objects`
              : `CPU profile of pid ${result.pid}: ${formatNumber(result.value.totalMs)} ms in ${result.value.samples} samples`}
            <span className="muted"> · {result.value.path}</span>
          </caption>
          <tbody>
            {(result.type === 'snapshot'
              ? result.value.summary.top.slice(0, 8).map((row) => [row.name, `${formatNumber(row.selfSize / 1024)} KB`, `${formatNumber(row.count)} objects`])
              : result.value.top.slice(0, 8).map((row) => [row.functionName || '(anonymous)', `${formatNumber(row.self)} ms`, `${row.url.split('/').pop() ?? ''}:${row.line}`])
            ).map((row, index) => (
              <tr key={index}>
                <th scope="row">{row[0]}</th>
                <td className="num">{row[1]}</td>
                <td>{row[2]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Loading a folder's services file: shown first, trusted only when the user says so. */
function FolderTrust({ folders, onChanged }: { folders: Listing['folders']; onChanged: () => void }) {
  const { client } = useServices();
  const [folder, setFolder] = useState('');
  const [inspection, setInspection] = useState<FolderInspection>();
  const { busy, problem, run } = useAction();
  const look = () => run(async () => setInspection(await client.call('services.folder.inspect', { folder: folder.trim() })));
  const trust = (target: string, yes: boolean) =>
    run(async () => {
      await client.call('services.folder.trust', { folder: target, trust: yes });
      setInspection(undefined);
      onChanged();
    });

  return (
    <section className="panel" aria-label="Services from a folder">
      <h2>Services from a folder</h2>
      <p className="muted">
        A repository can keep its services in <code>tunebench.services.json</code>. Tunebench reads it only to show you what it would run; it
        runs nothing from a folder until you trust that folder, as an editor asks before it runs a workspace&apos;s tasks.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void look();
        }}
      >
        <div className="form-grid">
          <div className="field">
            <label htmlFor="trust-folder">Folder (absolute path)</label>
            <input id="trust-folder" value={folder} placeholder="/home/me/src/orders-api" onChange={(event) => setFolder(event.target.value)} />
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy || !folder.trim()}>
            Look at its services file
          </button>
        </div>
      </form>
      {problem && <ErrorNote error={problem} />}
      {inspection && (
        <div className="trust-note" role="region" aria-label="What this folder would run">
          {inspection.problem ? (
            <p>{inspection.problem}</p>
          ) : (
            <>
              <p>
                <strong>{inspection.file}</strong> defines {inspection.services.length} service{inspection.services.length === 1 ? '' : 's'}. Trusting{' '}
                {inspection.folder} lets Tunebench run these commands on this machine, now and whenever the file changes:
              </p>
              <ul>
                {inspection.services.map((service) => (
                  <li key={service.name}>
                    <strong>{service.name}</strong>: <span className="service-command">{service.command.join(' ')}</span> in {service.directory}
                  </li>
                ))}
              </ul>
              {inspection.trusted ? (
                <p className="muted">This folder is trusted already.</p>
              ) : (
                <div className="actions">
                  <button type="button" className="primary" disabled={busy} onClick={() => void trust(inspection.folder, true)}>
                    Trust this folder and load its services
                  </button>
                  <button type="button" disabled={busy} onClick={() => setInspection(undefined)}>
                    Cancel
                  </button>
                </div>
              )}
            </>
          )}
        </div>
      )}
      {!!folders.length && (
        <table className="data-table" aria-label="Trusted folders">
          <thead>
            <tr>
              <th scope="col">Trusted folder</th>
              <th scope="col">Services</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {folders.map((entry) => (
              <tr key={entry.folder}>
                <th scope="row" className="path">
                  {entry.folder}
                </th>
                <td>{entry.problem ? <span className="field-error">{entry.problem}</span> : entry.services.join(', ') || '—'}</td>
                <td className="nowrap">{new Date(entry.trustedAt).toLocaleString()}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void trust(entry.folder, false)}>
                    Stop trusting
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
