import type { SweepListItem } from '../../shared/specs/sweep.js';
import { href, navigate } from '../app/router.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatDuration, formatTimestamp } from '../format.js';
import { ImportButton } from './ImportButton.js';

/** #/sweeps: every saved sweep, newest first, with New sweep and Import. */
export function SweepsList() {
  const { data: list, error, reload } = useCall('sweeps.list', {});

  return (
    <div className="page">
      <header className="page-header">
        <h1>Sweeps</h1>
        <p className="page-intro">
          A sweep runs one experiment over a range of settings, several times each, in random order, and names the
          setting to use with its evidence.
        </p>
      </header>
      <div className="actions">
        <button type="button" className="primary" onClick={() => navigate('/sweeps/new')}>
          New sweep
        </button>
        <ImportButton onImported={reload} />
      </div>
      {error && <ErrorNote error={error} title="Could not list sweeps" />}
      {list?.warnings.map((warning) => (
        <div key={warning} className="warning" role="status">
          {warning}
        </div>
      ))}
      {list && list.sweeps.length === 0 && <p className="muted">No sweeps yet.</p>}
      {list && list.sweeps.length > 0 && <SweepTable sweeps={list.sweeps} />}
    </div>
  );
}

function SweepTable({ sweeps }: { sweeps: SweepListItem[] }) {
  return (
    <table className="data-table" aria-label="Sweeps">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col" className="num">
            Points
          </th>
          <th scope="col" className="num">
            Runs
          </th>
          <th scope="col" className="num">
            Duration
          </th>
        </tr>
      </thead>
      <tbody>
        {sweeps.map((sweep) => (
          <tr key={sweep.id}>
            <td>
              <a href={href(`/sweeps/${encodeURIComponent(sweep.id)}`)}>{sweep.name}</a>
            </td>
            <td>{sweep.kind}</td>
            <td>
              <StatusBadge status={sweep.status} />
            </td>
            <td className="nowrap">{formatTimestamp(sweep.startedAt)}</td>
            <td className="num">{sweep.points}</td>
            <td className="num">
              {sweep.runsDone} / {sweep.totalRuns}
            </td>
            <td className="num nowrap">{formatDuration(sweep.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
