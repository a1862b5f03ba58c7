/**
 * Settings beyond the machine: more pool threads, or more cluster workers,
 * than it has cores. They take turns on the cores, which adds switching and
 * memory rather than throughput, and the figures say more about the
 * scheduler than about the setting. It is a warning, never a refusal: trying
 * it is a fair experiment. The forms show it beside the field, and the run
 * records it as an 'oversubscribed' event.
 */

/** Event type a run records when its spec asks for more threads or workers than cores. */
export const OVERSUBSCRIBED_EVENT = 'oversubscribed';

export type CoresResource = 'threads' | 'workers';

/** "3 threads on 2 cores: …", or undefined when count fits (or either number is unknown). */
export function coresWarning(resource: CoresResource, count: number, cores: number | undefined): string | undefined {
  if (cores === undefined || !(cores >= 1) || !Number.isFinite(count) || count <= cores) return undefined;
  const noun = resource === 'threads' ? (count === 1 ? 'thread' : 'threads') : count === 1 ? 'worker' : 'workers';
  return `${count} ${noun} on ${cores} ${cores === 1 ? 'core' : 'cores'}: beyond the machine, they take turns on the cores (switching, not throughput); the run goes ahead`;
}

/** The warning for a spec of any kind (pool threads, a load run's own cluster workers), with the setting it is about. */
export function specCoresWarning(spec: unknown, cores: number | undefined): { path: string; resource: CoresResource; count: number; message: string } | undefined {
  if (!spec || typeof spec !== 'object') return undefined;
  const s = spec as { kind?: unknown; pool?: { threads?: unknown }; target?: { type?: unknown; cluster?: { workers?: unknown } } };
  const found =
    s.kind === 'pool' && typeof s.pool?.threads === 'number'
      ? { path: 'pool.threads', resource: 'threads' as const, count: s.pool.threads }
      : s.kind === 'load' && s.target?.type === 'cluster' && typeof s.target.cluster?.workers === 'number'
        ? { path: 'target.cluster.workers', resource: 'workers' as const, count: s.target.cluster.workers }
        : undefined;
  if (!found) return undefined;
  const message = coresWarning(found.resource, found.count, cores);
  return message ? { ...found, message } : undefined;
}
