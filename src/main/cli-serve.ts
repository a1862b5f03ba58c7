/**
 * `tunebench serve`: the test-server cluster standalone, so other tools can
 * be pointed at it. Prints its address; Ctrl-C drains and stops it.
 */
import type { StreamPayload } from '../shared/contract.js';
import { TunebenchError } from '../shared/errors.js';
import { EXIT, type CliCommand, type OnStopSignal, type WithEngine } from './cli-core.js';

function intOption(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) {
    throw new TunebenchError('TB_OPTION_OUT_OF_RANGE', { option: `--${name}`, rule: `a whole number, got "${String(value)}"` });
  }
  return parsed;
}

export function serveCommand(withEngine: WithEngine, onStopSignal: OnStopSignal): CliCommand {
  return {
    summary: 'Run the test-server cluster standalone until Ctrl-C',
    // --node <path> is the CLI's global option (the Node.js the cluster runs on).
    usage: 'serve [--workers N] [--port P] [--inline] [--node <path>]',
    options: {
      workers: { type: 'string' },
      port: { type: 'string' },
      inline: { type: 'boolean' },
    },
    run: async ({ positionals, values }, io) => {
      if (positionals.length) throw new TunebenchError('TB_UNEXPECTED_ARGUMENT', { argument: positionals[0]! });
      const settings = {
        workers: intOption(values.workers, 'workers', 2),
        port: intOption(values.port, 'port', 0),
        ...(values.inline === true ? { offload: false } : {}),
      };
      return withEngine(io, async (engine) => {
        const stopListening = engine.onStream((stream, payload) => {
          if (stream !== 'cluster.event') return;
          const event = payload as StreamPayload<'cluster.event'>;
          if (event.type !== 'worker-start') io.stderr.write(`${new Date(event.at).toISOString()} ${event.message}\n`);
        });
        let release!: () => void;
        const stopped = new Promise<void>((resolve) => (release = resolve));
        const stopOnSignal = onStopSignal(async () => {
          io.stderr.write('Stopping: draining in-flight requests (Ctrl-C again to quit at once)\n');
          await engine.call('cluster.stop', {});
          release();
        });
        try {
          const status = await engine.call('cluster.start', { settings });
          io.stdout.write(`${status.address}\n`);
          io.stderr.write(
            `Serving ${status.workers.length} test-server workers on ${status.address} (runtime ${status.runtime}); Ctrl-C stops\n`,
          );
          await stopped;
        } finally {
          stopOnSignal();
          stopListening();
        }
        return EXIT.ok;
      });
    },
  };
}
