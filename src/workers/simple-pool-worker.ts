/** The simple pool's worker entry: one job per message, one reply per job, in order. */
import { parentPort } from 'node:worker_threads';
import type { PoolWorkerReady } from '../shared/pool-protocol.js';
import { executeJob, type PoolJob } from './execute-job.js';

if (!parentPort) throw new Error('simple-pool-worker must be started as a worker thread');
const port = parentPort;
port.on('message', (job: PoolJob) => port.postMessage(executeJob(job)));
port.postMessage({ ready: true } satisfies PoolWorkerReady);
