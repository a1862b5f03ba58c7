import { useEffect, useMemo, useState } from 'react';
import { useServices } from '../app/services.js';
import { ErrorNote, errorOf } from '../components/ErrorNote.js';
import { downloadFile } from '../studies/download.js';
import { buildFlameGraph, type CpuProfile, type FlameGraph as Graph } from './flame-graph.js';
import { FlameGraph } from './FlameGraph.js';

/** A profile larger than this is not drawn in the page (it still downloads). */
const MAX_DRAWN_BYTES = 32 * 1024 * 1024;

/** Saves a file an inspection wrote (runtime.file: by name, from its run's folder or the runtime folder). */
export function InspectionDownload({ file, runId }: { file: string; runId?: string | undefined }) {
  const { client } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code?: string; message: string }>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      downloadFile(await client.call('runtime.file', { file, ...(runId ? { runId } : {}) }));
    } catch (thrown) {
      setError(errorOf(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} aria-label={`Download ${file}`}>
        {busy ? 'Downloading…' : 'Download'}
      </button>
      {error && <ErrorNote error={error} title="Download failed" />}
    </>
  );
}

/** A CPU profile's flame graph, read from its file once it is written. */
export function CpuProfileFlame({ file, runId, bytes }: { file: string; runId?: string | undefined; bytes: number }) {
  const { client } = useServices();
  const [profile, setProfile] = useState<CpuProfile>();
  const [includeIdle, setIncludeIdle] = useState(false);
  const graph = useMemo<Graph | undefined>(() => (profile ? buildFlameGraph(profile, { includeIdle }) : undefined), [profile, includeIdle]);
  const [error, setError] = useState<{ code?: string; message: string }>();
  const tooLarge = bytes > MAX_DRAWN_BYTES;
  useEffect(() => {
    if (tooLarge) return;
    let current = true;
    client.call('runtime.file', { file, ...(runId ? { runId } : {}) }).then(
      (read) => {
        if (current) setProfile(JSON.parse(read.content) as CpuProfile);
      },
      (thrown: unknown) => {
        if (current) setError(errorOf(thrown));
      },
    );
    return () => {
      current = false;
    };
  }, [client, file, runId, tooLarge]);
  if (tooLarge) return <p className="muted">This profile is too large to draw here; download it and open it in Chrome DevTools.</p>;
  if (error) return <ErrorNote error={error} title="Could not read the profile" />;
  if (!graph) return <p className="muted">Reading the profile…</p>;
  return (
    <div className="flame-wrap">
      <label className="checkbox">
        <input type="checkbox" checked={includeIdle} onChange={(event) => setIncludeIdle(event.target.checked)} /> Include idle time (the thread
        waiting for work)
      </label>
      <FlameGraph key={includeIdle ? 'idle' : 'busy'} graph={graph} label="CPU flame graph" />
    </div>
  );
}
