import type { RunStatus } from '../../shared/run-record.js';

const words: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`status status-${status}`}>{words[status]}</span>;
}
