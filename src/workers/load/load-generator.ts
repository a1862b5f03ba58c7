/**
 * Worker-thread entry of the load generator (built as
 * workers/load-generator.js): off the workbench's main thread so the UI and
 * engine do not bend the numbers, and the engine's load does not either.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  LoadGeneratorCommandSchema,
  LoadGeneratorConfigSchema,
  type LoadGeneratorMessage,
} from '../../shared/cluster-protocol.js';
import { describeZodError } from '../../shared/validation.js';
import { LoadGenerator } from './generator.js';

const port = parentPort;
if (!port) throw new Error('load-generator must run in a worker thread');

const post = (message: LoadGeneratorMessage) => port.postMessage(message);

const config = LoadGeneratorConfigSchema.safeParse(workerData);
if (!config.success) {
  post({ type: 'failed', message: `invalid generator config: ${describeZodError(config.error)}` });
} else {
  const generator = new LoadGenerator(config.data, {
    measuring: () => post({ type: 'measuring' }),
    interval: (interval) => post({ type: 'interval', interval }),
  });
  port.on('message', (raw) => {
    if (LoadGeneratorCommandSchema.safeParse(raw).success) generator.stop();
  });
  generator
    .run()
    .then(
      (result) => post({ type: 'done', result }),
      (error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    )
    // Nothing more to say or hear: the finished thread exits by itself (the port no longer holds it).
    .finally(() => port.unref());
}
