import { doctorMarks, type DoctorStatus } from '../../shared/doctor.js';
import type { PageProps } from '../app/pages.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { formatTimestamp } from '../format.js';

const statusWords: Record<DoctorStatus, string> = { ok: 'OK', warn: 'Warning', fail: 'Failed', skip: 'Skipped' };
const statusClass: Record<DoctorStatus, string> = {
  ok: 'status-completed',
  warn: 'status-stopped',
  fail: 'status-failed',
  skip: 'status-skipped',
};

/** About this Tunebench, and the environment checks of `tunebench doctor` with a button to run them again. */
export function SettingsPage(_props: PageProps) {
  const { data: info, error: infoError } = useCall('app.info', {});
  const doctor = useCall('app.doctor', {});
  const report = doctor.data;
  const checking = doctor.loading;
  // The checks may start the embedded server: its status is read again with each report.
  const { data: embedded, error: embeddedError } = useCall('db.embedded.status', {}, { refreshOn: report });
  const problem = doctor.error ?? infoError ?? embeddedError;

  const failed = report?.checks.filter((entry) => entry.status === 'fail').length ?? 0;
  const warned = report?.checks.filter((entry) => entry.status === 'warn').length ?? 0;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Settings</h1>
        <p className="page-intro">
          About this Tunebench, and whether the machine has what it needs: the same checks as <code>tunebench doctor</code>.
        </p>
      </header>
      {problem && <ErrorNote error={problem} title="Could not run the checks" />}
      <section className="panel" aria-label="About">
        <h2>About</h2>
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info?.version ?? '…'}</dd>
          <dt>Host</dt>
          <dd>{info ? (info.host === 'electron' ? 'Desktop app' : 'Web host') : '…'}</dd>
          <dt>Data directory</dt>
          <dd className="path">{info?.dataDir ?? '…'}</dd>
          <dt>PostgreSQL cluster</dt>
          <dd className="path">
            {embedded ? `${embedded.dataDir} (${embedded.state}${embedded.version ? `, PostgreSQL ${embedded.version}` : ''})` : '…'}
          </dd>
          {embedded?.dataDirNote && (
            <>
              <dt>Why there</dt>
              <dd>{embedded.dataDirNote}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="panel" aria-label="Environment checks">
        <div className="doctor-heading">
          <h2>Environment checks</h2>
          <button type="button" onClick={doctor.reload} disabled={checking}>
            {checking ? 'Checking…' : 'Run checks again'}
          </button>
        </div>
        {report && (
          <p className={failed ? 'doctor-verdict doctor-failed' : 'doctor-verdict'} role="status">
            {failed
              ? `${failed} check${failed === 1 ? '' : 's'} failed: see what to fix below.`
              : `Everything Tunebench needs is there${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`}{' '}
            <span className="muted">Checked {formatTimestamp(report.at)}.</span>
          </p>
        )}
        {!report && checking && <p className="muted">Checking Node.js, the data directory, embedded PostgreSQL, disk and load…</p>}
        {report && (
          <table className="data-table doctor-table" aria-label="Checks">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Check</th>
                <th scope="col">Found</th>
                <th scope="col">What to do</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((entry) => (
                <tr key={entry.id} data-status={entry.status}>
                  <td className="nowrap">
                    <span className={`status ${statusClass[entry.status]}`}>
                      <span aria-hidden="true">{doctorMarks[entry.status]} </span>
                      {statusWords[entry.status]}
                    </span>
                  </td>
                  <th scope="row">{entry.title}</th>
                  <td>{entry.detail}</td>
                  <td>{entry.status === 'ok' || entry.status === 'skip' ? '' : entry.fix}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
