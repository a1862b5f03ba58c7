import { useServices } from '../app/services.js';
import { DownloadButton } from '../components/DownloadButton.js';

/** Downloads one file of a saved run; the engine finds it by name in the run's artifact list. */
export function ArtifactDownload({ runId, file }: { runId: string; file: string }) {
  const { client } = useServices();
  return <DownloadButton file={file} read={() => client.call('runs.artifact', { runId, file })} />;
}
