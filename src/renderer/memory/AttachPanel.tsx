/**
 * Attaching to a Node.js process started elsewhere (inside the inspection
 * panel): the local Node processes, Attach (SIGUSR1 opens its inspector on
 * 127.0.0.1), then the panel's own snapshot and profile buttons work on it;
 * Detach closes the inspector again and leaves the process running.
 */
import { useState } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import { useServices } from '../app/services.js';
import { useCall, type Problem } from '../app/use-call.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';

type Listed = CallResponse<'attach.list'>['processes'][number];

/** Processes start and end on their own: the list is read again this often. */
const LIST_EVERY_MS = 5_000;

export function AttachPanel({ onAttached, onDetached }: { onAttached: (processId: string) => void; onDetached: () => void }) {
  const { client } = useServices();
  const listed = useCall('attach.list', {}, { refreshMs: LIST_EVERY_MS });
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<Problem>();
  const problem = error ?? listed.error;
  const processes = listed.data?.processes ?? [];

  const act = async (entry: Listed, what: 'attach' | 'detach') => {
    setBusy(entry.pid);
    setError(undefined);
    try {
      if (what === 'attach') {
        const opened = await client.call('attach.open', { pid: entry.pid });
        onAttached(opened.processId);
      } else {
        await client.call('attach.close', { pid: entry.pid });
        onDetached();
      }
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(undefined);
      listed.reload();
    }
  };

  return (
    <section className="attach-panel" aria-label="Attach to a running Node process">
      <h3>Attach to a running Node process</h3>
      <p className="muted">
        For a service started elsewhere. Attach sends it SIGUSR1, which opens its inspector on 127.0.0.1 (any local process can reach it
        while attached); it then appears under Process below. Detach closes the inspector again and leaves the process running. Only
        processes of {listed.data ? <strong>{listed.data.user}</strong> : 'your user'} can be attached.
      </p>
      <table className="data-table" aria-label="Node processes on this machine">
        <thead>
          <tr>
            <th scope="col" className="num">PID</th>
            <th scope="col">User</th>
            <th scope="col">Command</th>
            <th scope="col">Node</th>
            <th scope="col">Inspector</th>
            <th scope="col">
              <button type="button" onClick={() => listed.reload()}>
                List again
              </button>
            </th>
          </tr>
        </thead>
        <tbody>
          {processes.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                {listed.loading && !listed.data ? 'Listing Node processes…' : 'No other Node process runs on this machine.'}
              </td>
            </tr>
          )}
          {processes.map((entry) => (
            <tr key={entry.pid} data-pid={entry.pid}>
              <td className="num">{entry.pid}</td>
              <td>{entry.user}</td>
              <td>
                <code title={entry.command}>{entry.command}</code>
              </td>
              <td>{entry.nodeVersion ?? <span className="muted">unknown</span>}</td>
              <td>
                {entry.inspector}
                {entry.inspectorPort ? ` (port ${entry.inspectorPort})` : ''}
              </td>
              <td>
                {entry.inspector === 'attached' ? (
                  <button type="button" onClick={() => void act(entry, 'detach')} disabled={busy !== undefined}>
                    {busy === entry.pid ? 'Detaching…' : 'Detach'}
                  </button>
                ) : entry.attachable ? (
                  <button type="button" onClick={() => void act(entry, 'attach')} disabled={busy !== undefined}>
                    {busy === entry.pid ? 'Attaching…' : 'Attach'}
                  </button>
                ) : (
                  <span className="muted">{entry.reason}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problem && <ErrorNote error={problem} />}
    </section>
  );
}
