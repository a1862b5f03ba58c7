/**
 * Looking inside a process: pick one of the inspectable processes (the
 * engine, a run's sandbox ...), take a heap snapshot, a CPU profile or an
 * allocation profile, and read the top tables. Files land in the run's folder
 * (a process attached to: the data directory's runtime folder).
 */
import { useState } from 'react';
import type { CallResponse } from '../../shared/contract.js';
import type { FunctionRow } from '../../shared/runtime.js';
import { useServices } from '../app/services.js';
import { useCall } from '../app/use-call.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';
import { formatNumber } from '../format.js';
import { CpuProfileFlame, InspectionDownload } from './InspectionFiles.js';
import { AttachPanel } from './AttachPanel.js';

type Snapshot = CallResponse<'runtime.heapSnapshot'>;
type CpuProfile = CallResponse<'runtime.cpuProfile'>;
type AllocationProfile = CallResponse<'runtime.allocationProfile'>;
/** What an inspection returned, and the run whose folder its file is in (none: the data directory's runtime folder). */
type Result = ({ type: 'snapshot'; value: Snapshot } | { type: 'cpu'; value: CpuProfile } | { type: 'allocation'; value: AllocationProfile }) & {
  runId?: string | undefined;
};

type Processes = CallResponse<'runtime.processes'>['processes'];
const NO_PROCESSES: Processes = [];
/** Processes come and go (a run's sandbox, a cluster's servers): the list is read again this often. */
const LIST_EVERY_MS = 2_000;

const MB = 1024 * 1024;
const mb = (bytes: number) => `${formatNumber(bytes / MB)} MB`;

export function InspectPanel({ preferRunId }: { preferRunId?: string | undefined }) {
  const { client } = useServices();
  const listed = useCall('runtime.processes', {}, { refreshMs: LIST_EVERY_MS });
  const processes = listed.data?.processes ?? NO_PROCESSES;
  const [chosen, setChosen] = useState<string>('engine');
  const [seconds, setSeconds] = useState('3');
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<{ code?: string; message: string }>();
  const [results, setResults] = useState<Result[]>([]);

  // The run's sandbox is picked once, when it appears; after that the user's choice stands.
  const [autoPicked, setAutoPicked] = useState<string>();
  const preferred = preferRunId ? processes.find((entry) => entry.runId === preferRunId) : undefined;
  if (preferred && preferred.id !== autoPicked) {
    setAutoPicked(preferred.id);
    setChosen(preferred.id);
  }
  // A process that has gone leaves the first one listed selected.
  const selected = processes.some((entry) => entry.id === chosen) ? chosen : (processes[0]?.id ?? 'engine');
  const problem = error ?? listed.error;

  const act = async (what: 'snapshot' | 'cpu' | 'allocation') => {
    setBusy(what);
    setError(undefined);
    const duration = Number(seconds);
    try {
      let result: Result;
      if (what === 'snapshot') {
        let value: Snapshot;
        try {
          value = await client.call('runtime.heapSnapshot', { processId: selected });
        } catch (thrown) {
          const failure = errorOf(thrown);
          // A very large heap: say what it costs and let the user decide.
          if (failure.code !== 'TB_CONFIRM_REQUIRED' || !window.confirm(failure.message)) throw thrown;
          value = await client.call('runtime.heapSnapshot', { processId: selected, confirmLarge: true });
        }
        result = { type: 'snapshot', value };
      } else if (what === 'cpu') {
        result = { type: 'cpu', value: await client.call('runtime.cpuProfile', { processId: selected, seconds: duration }) };
      } else {
        result = { type: 'allocation', value: await client.call('runtime.allocationProfile', { processId: selected, seconds: duration }) };
      }
      const runId = processes.find((entry) => entry.id === selected)?.runId;
      setResults((previous) => [{ ...result, runId }, ...previous].slice(0, 6));
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="panel" aria-label="Look inside a process">
      <h2>Look inside a process</h2>
      <AttachPanel
        onAttached={(processId) => {
          setChosen(processId);
          listed.reload();
        }}
        onDetached={() => listed.reload()}
      />
      <div className="form-grid">
        <Field label="Process">
          {(props) => (
            <select {...props} value={selected} onChange={(event) => setChosen(event.target.value)}>
              {processes.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.label}
                  {entry.heapUsed ? ` · heap ${mb(entry.heapUsed)}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Profile for (s)" hint="CPU and allocation profiles, 0.1 to 300 s">
          {(props) => <input {...props} type="number" step={1} min={0.1} inputMode="decimal" value={seconds} onChange={(event) => setSeconds(event.target.value)} />}
        </Field>
      </div>
      <div className="actions">
        <button type="button" onClick={() => void act('snapshot')} disabled={busy !== undefined}>
          {busy === 'snapshot' ? 'Taking heap snapshot…' : 'Heap snapshot'}
        </button>
        <button type="button" onClick={() => void act('cpu')} disabled={busy !== undefined}>
          {busy === 'cpu' ? 'Profiling CPU…' : 'CPU profile'}
        </button>
        <button type="button" onClick={() => void act('allocation')} disabled={busy !== undefined}>
          {busy === 'allocation' ? 'Sampling allocations…' : 'Allocation profile'}
        </button>
      </div>
      <p className="muted">
        A heap snapshot pauses the process while V8 walks its heap. Download a file to open it in Chrome DevTools (Memory and Performance
        panels); a CPU profile is drawn here as a flame graph too.
      </p>
      {problem && <ErrorNote error={problem} />}
      {results.map((result) => (
        <ResultView key={result.value.path} result={result} />
      ))}
    </section>
  );
}

function FileLine({ path, bytes, file, runId }: { path: string; bytes: number; file: string; runId: string | undefined }) {
  return (
    <p className="artifact-file">
      <code title={path}>{path}</code> <span className="muted">({mb(bytes)})</span> <InspectionDownload file={file} runId={runId} />
    </p>
  );
}

function ResultView({ result }: { result: Result }) {
  if (result.type === 'snapshot') {
    const { value } = result;
    return (
      <div className="inspect-result">
        <h3>Heap snapshot: {mb(value.summary.totalSize)} in {formatNumber(value.summary.totalCount)} objects</h3>
        <FileLine path={value.path} bytes={value.artifact.bytes} file={value.artifact.file} runId={result.runId} />
        <div className="result-columns">
          <table className="data-table" aria-label="Top constructors by self size">
            <caption>Top constructors by self size</caption>
            <thead>
              <tr>
                <th scope="col">Constructor</th>
                <th scope="col" className="num">Count</th>
                <th scope="col" className="num">Self size</th>
              </tr>
            </thead>
            <tbody>
              {value.summary.top.map((row) => (
                <tr key={row.name}>
                  <td>{row.name}</td>
                  <td className="num">{formatNumber(row.count)}</td>
                  <td className="num">{mb(row.selfSize)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {value.diff && (
            <table className="data-table" aria-label="Grown since the previous snapshot">
              <caption>Grown since the previous snapshot</caption>
              <thead>
                <tr>
                  <th scope="col">Constructor</th>
                  <th scope="col" className="num">Δ count</th>
                  <th scope="col" className="num">Δ size</th>
                </tr>
              </thead>
              <tbody>
                {value.diff.map((row) => (
                  <tr key={row.name}>
                    <td>{row.name}</td>
                    <td className="num">{formatNumber(row.countDelta)}</td>
                    <td className="num">{mb(row.sizeDelta)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    );
  }
  const cpu = result.type === 'cpu';
  const rows: FunctionRow[] = result.value.top;
  return (
    <div className="inspect-result">
      <h3>
        {cpu
          ? `CPU profile: ${formatNumber((result.value as CpuProfile).totalMs)} ms, ${formatNumber((result.value as CpuProfile).samples)} samples`
          : `Allocation profile: ${mb((result.value as AllocationProfile).totalBytes)} sampled`}
      </h3>
      <FileLine path={result.value.path} bytes={result.value.artifact.bytes} file={result.value.artifact.file} runId={result.runId} />
      <div className={cpu ? 'flame-layout' : undefined}>
      {cpu && <CpuProfileFlame file={result.value.artifact.file} runId={result.runId} bytes={result.value.artifact.bytes} />}
      <table className="data-table" aria-label={cpu ? 'Top functions by self time' : 'Top allocating functions'}>
        <caption>{cpu ? 'Top functions by self time' : 'Top allocating functions'}</caption>
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col">Where</th>
            <th scope="col" className="num">{cpu ? 'Self (ms)' : 'Allocated'}</th>
            <th scope="col" className="num">Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.functionName}|${row.url}|${row.line}`}>
              <td>{row.functionName}</td>
              <td className="muted">{row.url ? `${row.url.split('/').pop()}:${row.line}` : ''}</td>
              <td className="num">{cpu ? formatNumber(row.self) : mb(row.self)}</td>
              <td className="num">{formatNumber(row.share * 100)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </div>
  );
}
