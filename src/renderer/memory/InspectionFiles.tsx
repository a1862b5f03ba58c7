import { useMemo, useState } from 'react';
import { useServices } from '../app/services.js';
import { useCall } from '../app/use-call.js';
import { DownloadButton } from '../components/DownloadButton.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { buildFlameGraph, type CpuProfile, type FlameGraph as Graph } from './flame-graph.js';
import { FlameGraph } from './FlameGraph.js';

/** A profile larger than this is not drawn in the page (it still downloads). */
const MAX_DRAWN_BYTES = 32 * 1024 * 1024;

/** Saves a file an inspection wrote (runtime.file: by name, from its run's folder or the runtime folder). */
export function InspectionDownload({ file, runId }: { file: string; runId?: string | undefined }) {
  const { client } = useServices();
  return <DownloadButton file={file} read={() => client.call('runtime.file', { file, ...(runId ? { runId } : {}) })} />;
}

/** A CPU profile's flame graph, read from its file once it is written. */
export function CpuProfileFlame({ file, runId, bytes }: { file: string; runId?: string | undefined; bytes: number }) {
  const [includeIdle, setIncludeIdle] = useState(false);
  const tooLarge = bytes > MAX_DRAWN_BYTES;
  const { data: read, error } = useCall('runtime.file', tooLarge ? undefined : { file, ...(runId ? { runId } : {}) });
  // A file that is not a profile shows as an error, never as a broken page.
  const parsed = useMemo(() => {
    if (!read) return undefined;
    try {
      return { profile: JSON.parse(read.content) as CpuProfile };
    } catch (thrown) {
      return { problem: { message: `${file} is not a CPU profile (${thrown instanceof Error ? thrown.message : String(thrown)})` } };
    }
  }, [read, file]);
  const profile = parsed?.profile;
  const graph = useMemo<Graph | undefined>(() => (profile ? buildFlameGraph(profile, { includeIdle }) : undefined), [profile, includeIdle]);
  if (tooLarge) return <p className="muted">This profile is too large to draw here; download it and open it in Chrome DevTools.</p>;
  const problem = error ?? parsed?.problem;
  if (problem) return <ErrorNote error={problem} title="Could not read the profile" />;
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
