/** Piscina's worker entry: piscina calls the default export once per job. */
import { isReadyProbe, type PoolWorkerReady } from '../shared/pool-protocol.js';
import { executeJob, type PoolJob } from './execute-job.js';

export default function poolWorker(job: PoolJob) {
  // The pool's "are you up?" no-op: answered without running anything.
  if (isReadyProbe(job)) return { ready: true } satisfies PoolWorkerReady;
  return executeJob(job);
}
