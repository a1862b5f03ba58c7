import os from 'node:os';
import { OVERSUBSCRIBED_EVENT, specCoresWarning } from '../../../shared/guardrails.js';
import type { RunSink } from './kind.js';

/** The machine's logical cores, as the run's environment records them. */
export function machineCores(): number {
  return Math.max(1, os.cpus().length);
}

/**
 * A spec that asks for more pool threads or cluster workers than the machine
 * has cores runs anyway, with an 'oversubscribed' warning on its timeline and
 * in its log (see shared/guardrails.ts).
 */
export function warnIfOversubscribed(spec: unknown, sink: Pick<RunSink, 'event' | 'log'>, cores = machineCores()): void {
  const warning = specCoresWarning(spec, cores);
  if (!warning) return;
  sink.event(OVERSUBSCRIBED_EVENT, warning.message, { setting: warning.path, [warning.resource]: warning.count, cores });
  sink.log('warn', warning.message);
}
