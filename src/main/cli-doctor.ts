/**
 * `tunebench doctor`: checks the environment Tunebench needs, one line per
 * check with what to fix; exit 0 when nothing failed, 1 otherwise.
 */
import { doctorMarks, type DoctorReport } from '../shared/doctor.js';
import { TunebenchError } from '../shared/errors.js';
import { EXIT, type CliCommand, type WithEngine } from './cli-core.js';

export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.checks.map((check) => {
    const fix = check.fix && check.status !== 'ok' ? ` → ${check.fix}` : '';
    return `${doctorMarks[check.status]} ${check.title}: ${check.detail}${fix}`;
  });
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  const verdict = failed
    ? `${failed} check${failed === 1 ? '' : 's'} failed`
    : `everything Tunebench needs is there${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}`;
  return `${lines.join('\n')}\n\n${verdict}\n`;
}

export function doctorCommand(withEngine: WithEngine): CliCommand {
  return {
    summary: 'Check the environment (Node.js, data directory, embedded PostgreSQL, disk, load) and say what to fix',
    usage: 'doctor [--json]',
    options: { json: { type: 'boolean' } },
    run: async ({ positionals, values }, io) => {
      if (positionals.length) throw new TunebenchError('TB_UNEXPECTED_ARGUMENT', { argument: positionals[0]! });
      return withEngine(io, async (engine) => {
        const report = await engine.call('app.doctor', {});
        io.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
        return report.ok ? EXIT.ok : EXIT.failed;
      });
    },
  };
}
