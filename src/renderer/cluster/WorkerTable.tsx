import type { ClusterFault, WorkerStatus } from '../../shared/specs/cluster.js';
import { formatDuration, formatNumber } from '../format.js';

export type FaultAction = ClusterFault['action'];

const faultButtons: Array<{ action: FaultAction; label: string }> = [
  { action: 'kill', label: 'Kill -9' },
  { action: 'block', label: 'Block event loop' },
  { action: 'leak', label: 'Leak memory' },
];

function lastExitText(exit: WorkerStatus['lastExit']): string {
  if (!exit) return '—';
  return exit.signal ?? `code ${String(exit.code)}`;
}

/** One row per worker slot, as the supervisor last reported it, with that worker's fault buttons. */
export function WorkerTable({
  workers,
  pendingSlot,
  onFault,
}: {
  workers: WorkerStatus[];
  /** The slot whose fault is being injected; its buttons wait. */
  pendingSlot: number | undefined;
  onFault: (action: FaultAction, slot: number) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table worker-table" aria-label="Workers">
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col" className="num">
              PID
            </th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Uptime
            </th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="num">
              Req/s
            </th>
            <th scope="col" className="num">
              Loop delay p99
            </th>
            <th scope="col" className="num">
              CPU
            </th>
            <th scope="col" className="num">
              Heap
            </th>
            <th scope="col" className="num">
              Restarts
            </th>
            <th scope="col">Last exit</th>
            <th scope="col">Faults</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <tr key={worker.slot} data-slot={worker.slot}>
              <th scope="row">{worker.slot}</th>
              <td className="num">{worker.pid ?? '—'}</td>
              <td>
                <span className={`worker-state worker-state-${worker.state}`}>{worker.state}</span>
              </td>
              <td className="num nowrap">{worker.state === 'running' ? formatDuration(worker.uptimeMs) : '—'}</td>
              <td className="num">{formatNumber(worker.requests)}</td>
              <td className="num">{formatNumber(worker.errors)}</td>
              <td className="num">{formatNumber(worker.rps)}</td>
              <td className="num nowrap">{formatNumber(worker.eldP99Ms)} ms</td>
              <td className="num nowrap">{formatNumber(worker.cpuPercent)} %</td>
              <td className="num nowrap">{formatNumber(worker.heapUsedMb)} MB</td>
              <td className="num">{formatNumber(worker.restarts)}</td>
              <td className="nowrap" title={worker.lastExit?.reason}>
                {lastExitText(worker.lastExit)}
                {worker.lastExit && <span className="muted"> ({worker.lastExit.reason})</span>}
              </td>
              <td className="fault-buttons">
                {faultButtons.map(({ action, label }) => (
                  <button
                    key={action}
                    type="button"
                    className={action === 'kill' ? 'danger-outline' : undefined}
                    aria-label={`${label} worker ${worker.slot}`}
                    disabled={worker.state !== 'running' || pendingSlot === worker.slot}
                    onClick={() => onFault(action, worker.slot)}
                  >
                    {label}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
