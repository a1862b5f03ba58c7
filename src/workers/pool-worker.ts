/** Piscina's worker entry: piscina calls the default export once per job. */
import { executeJob, type PoolJob } from './execute-job.js';

export default function poolWorker(job: PoolJob) {
  return executeJob(job);
}
