/**
 * `tunebench services list|check <name>`: the service definitions this
 * invocation trusts (saved in the app's data directory, trusted folders, and
 * the services file named with --services), and a check that starts one,
 * waits for it to be ready, stops it and prints what it saw.
 */
import { describeKnobRange, describeKnobTarget, type KnobValue, type ServiceCheck, type ServiceSource } from '../shared/specs/services.js';
import { EXIT, UsageError, type CliCommand, type CliValues, type WithEngine } from './cli-core.js';
import type { Engine } from './engine/engine.js';
import { textTable } from './engine/studies/report/format.js';

function sourceText(source: ServiceSource): string {
  switch (source.type) {
    case 'app':
      return 'saved in the app';
    case 'folder':
      return `trusted folder ${source.folder}`;
    case 'command-line':
      return `--services ${source.file}`;
  }
}

/** `--knob name=value`, typed by the service's declaration (checked again by the engine). */
function knobsFrom(engine: Engine, name: string, values: CliValues): Record<string, KnobValue> {
  const raw = values.knob;
  if (raw === undefined) return {};
  if (typeof raw !== 'string') throw new UsageError('--knob takes name=value');
  const knobs: Record<string, KnobValue> = {};
  const definition = engine.serviceCatalog.resolve(name).definition;
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--knob takes name=value[,name=value...]; got "${pair}"`);
    const knobName = pair.slice(0, at).trim();
    const text = pair.slice(at + 1).trim();
    const type = definition.knobs.find((candidate) => candidate.name === knobName)?.type;
    let value: KnobValue = text;
    if ((type === 'integer' || type === 'number') && text !== '') value = Number(text);
    if (type === 'boolean' && (text === 'true' || text === 'false')) value = text === 'true';
    knobs[knobName] = value;
  }
  return knobs;
}

export function formatCheck(check: ServiceCheck): string {
  const lines = [`Service ${check.name}: ${check.command.join(' ')}`, `  in ${check.directory}`, `  ready when ${check.readiness}`];
  if (check.readyMs !== undefined) lines.push(`  ready after ${(check.readyMs / 1000).toFixed(2)} s`);
  if (check.processes.length) {
    lines.push(
      `  ${check.processes.length === 1 ? 'process' : 'processes'} (probed): ${check.processes
        .map((process) => `pid ${process.pid}${process.heapUsedMb !== undefined ? ` (heap ${process.heapUsedMb.toFixed(1)} MB)` : ''}`)
        .join(', ')}`,
    );
  }
  const stop =
    check.stop === 'graceful'
      ? `stopped after SIGTERM in ${((check.stopMs ?? 0) / 1000).toFixed(2)} s`
      : check.stop === 'killed'
        ? 'did not stop after SIGTERM: killed (SIGKILL)'
        : check.stop === 'exited'
          ? 'had exited by itself before the stop'
          : 'never started';
  lines.push(`  ${stop}`);
  if (check.logTail.length) {
    lines.push('  last lines:');
    for (const line of check.logTail) lines.push(`    ${line.stream === 'stderr' ? '! ' : ''}${line.line}`);
  }
  lines.push(check.ok ? `✓ ${check.name} starts, gets ready and stops cleanly` : `✗ ${check.name}: ${check.problem ?? 'failed'}`);
  return `${lines.join('\n')}\n`;
}

export function servicesCommand(withEngine: WithEngine): CliCommand {
  return {
    summary: 'List the defined services, or check one: start it, wait until it is ready, stop it, say what was seen',
    usage:
      'services list [--services <tunebench.services.json>] [--json]\n' +
      '           services check <name> [--services <tunebench.services.json>] [--knob name=value[,name=value]] [--json]',
    options: { json: { type: 'boolean' }, knob: { type: 'string' } },
    run: async ({ positionals, values }, io) => {
      const [action, name, ...rest] = positionals;
      if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
      if (action === 'list') {
        if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
        return withEngine(io, async (engine) => {
          const { services, folders } = await engine.call('services.list', {});
          if (values.json === true) {
            io.stdout.write(`${JSON.stringify({ services, folders }, null, 2)}\n`);
            return EXIT.ok;
          }
          if (!services.length) {
            io.stdout.write('No services are defined. Define one on the Services page, or name a services file: --services tunebench.services.json\n');
            return EXIT.ok;
          }
          const rows = services.map(({ definition, source, shadowedBy }) => [
            definition.name + (shadowedBy ? ' (shadowed)' : ''),
            definition.url,
            definition.command.join(' '),
            definition.knobs.map((knob) => `${knob.name} (${describeKnobRange(knob)}, ${describeKnobTarget(knob)})`).join('; ') || '—',
            sourceText(source),
          ]);
          io.stdout.write(textTable(['NAME', 'URL', 'COMMAND', 'KNOBS', 'FROM'], rows));
          return EXIT.ok;
        });
      }
      if (action === 'check') {
        if (name === undefined) throw new UsageError('missing <name>');
        return withEngine(io, async (engine) => {
          const check = await engine.call('services.check', { name, knobs: knobsFrom(engine, name, values) });
          io.stdout.write(values.json === true ? `${JSON.stringify(check, null, 2)}\n` : formatCheck(check));
          return check.ok ? EXIT.ok : EXIT.failed;
        });
      }
      throw new UsageError(action === undefined ? 'missing list or check' : `unknown action "${action}"; services list or services check <name>`);
    },
  };
}
