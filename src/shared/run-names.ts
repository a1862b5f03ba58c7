/**
 * Names a run gets when its spec has none: the settings that tell runs of a
 * kind apart, so a runs list reads "primes 100k · piscina · 2 threads · 20k
 * jobs" rather than "pool: primes" twenty times. Each kind names its own
 * (engine/kinds/<kind>); the run manager knows no kind's fields.
 */
import type { DbSpec } from './specs/db.js';
import type { LoadSpec } from './specs/load.js';
import type { MemorySpec } from './specs/memory.js';
import type { PoolSpec } from './specs/pool.js';
import type { TaskRef } from './specs/tasks.js';

const SEPARATOR = ' · ';

/** 1500 → "1.5k", 100000 → "100k", 2000000 → "2M": counts as people say them. */
export function compactCount(value: number): string {
  const scaled = (divisor: number, suffix: string) => `${Number((value / divisor).toPrecision(3))}${suffix}`;
  if (Math.abs(value) >= 1e9) return scaled(1e9, 'G');
  if (Math.abs(value) >= 1e6) return scaled(1e6, 'M');
  if (Math.abs(value) >= 1e3) return scaled(1e3, 'k');
  return String(Number(value.toPrecision(3)));
}

const plural = (count: number, one: string, many = `${one}s`) => `${compactCount(count)} ${count === 1 ? one : many}`;

export function describeTask(task: TaskRef): string {
  switch (task.name) {
    case 'fibonacci':
      return `fibonacci(${task.params.n})`;
    case 'primes':
      return `primes ${compactCount(task.params.limit)}`;
    case 'matrixMultiply':
      return `matrix ${task.params.size}×${task.params.size}`;
    case 'blur':
      return `blur ${task.params.width}×${task.params.height}`;
    case 'spin':
      return `spin ${task.params.ms} ms`;
  }
}

export function poolRunName(spec: PoolSpec): string {
  return [describeTask(spec.task), spec.pool.implementation, plural(spec.pool.threads, 'thread'), plural(spec.jobs, 'job')].join(SEPARATOR);
}

export function loadRunName(spec: LoadSpec): string {
  const { load, target } = spec;
  const shape = load.mode === 'open' ? `open loop ${compactCount(load.rate ?? 0)} req/s` : `closed loop ${plural(load.connections, 'connection')}`;
  const where =
    target.type === 'cluster'
      ? plural(target.cluster.workers, 'worker')
      : target.type === 'running-cluster'
        ? 'standing cluster'
        : target.type === 'service'
          ? serviceLabel(target.service, target.knobs)
          : hostOf(target.url);
  return [shape, where, `${load.durationSec} s`].join(SEPARATOR);
}

/** "orders poolMax=20 workers=2": a service and the knob values a run sets. */
export function serviceLabel(service: string, knobs: Record<string, number | string | boolean>): string {
  const values = Object.entries(knobs).map(([name, value]) => `${name}=${String(value)}`);
  return [service, ...values].join(' ');
}

/**
 * What a sweep's run adds to its name ("#2", "(warm-up)"): its point's settings,
 * less those the name already states — a service's knob as "poolMax=1", a count
 * as "2 threads" — so "orders poolMax=1 · 3 s" becomes "orders poolMax=1 · 3 s #2",
 * not "… · target.knobs.poolMax=1 #2".
 */
export function sweepRunLabel(baseName: string, settings: Record<string, number | string | boolean>, repeat: number): string {
  const unsaid = Object.entries(settings).filter(([path, value]) => !statesSetting(baseName, path, value));
  const which = repeat < 0 ? '(warm-up)' : `#${repeat + 1}`;
  return unsaid.length ? `${unsaid.map(([path, value]) => `${path}=${String(value)}`).join(', ')} ${which}` : which;
}

/** A run's name with what a sweep adds to it: settings after a " · ", a bare "#2" or "(warm-up)" after a space ("orders poolMax=1 · 3 s #2"). */
export function labelledRunName(baseName: string, label: string | undefined): string {
  if (!label) return baseName;
  return /^(#\d|\(warm-up\))/.test(label) ? `${baseName} ${label}` : `${baseName}${SEPARATOR}${label}`;
}

/** Whether a run's name says a setting's value: "poolMax=1" for target.knobs.poolMax, "2 threads" for pool.threads, "pool 20" for pool.max. */
function statesSetting(name: string, path: string, value: number | string | boolean): boolean {
  const segments = path.split('.');
  const field = segments.at(-1)!;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const said = [`${field}=${String(value)}`];
  if (typeof value === 'number') {
    const singular = field.endsWith('s') ? field.slice(0, -1) : field;
    said.push(`${compactCount(value)} ${value === 1 ? singular : field}`);
    if (segments.length > 1) said.push(`${segments.at(-2)!} ${compactCount(value)}`);
  }
  return said.some((text) => new RegExp(`(^|[\\s(])${escape(text)}($|[\\s,)])`).test(name));
}

export function dbRunName(spec: DbSpec): string {
  const target = spec.target === 'embedded' ? 'embedded' : spec.target.startsWith('postgres') ? hostOf(spec.target) : spec.target;
  return [spec.workload.type, `pool ${spec.pool.max}`, `${spec.concurrency} in flight`, target].join(SEPARATOR);
}

export function memoryRunName(spec: MemorySpec): string {
  const size = spec.objectSizeBytes === undefined ? '' : ` of ${bytesLabel(spec.objectSizeBytes)}`;
  const cpu = spec.scenario === 'cpu-main' || spec.scenario === 'cpu-pool';
  return [spec.scenario, cpu ? `${spec.taskMs} ms tasks at ${compactCount(spec.rate)}/s` : `${compactCount(spec.rate)}/s${size}`, `${spec.durationSec} s`].join(
    SEPARATOR,
  );
}

/** 1024 → "1 KB", 1048576 → "1 MB": sizes in the binary units heaps are measured in. */
export function bytesLabel(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toPrecision(3))} ${units[unit]}`;
}

/** The host (and port) of a URL, without credentials or path; the text itself when it is not a URL. */
function hostOf(url: string): string {
  const match = /^[a-z]+:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(url);
  return match ? match[1]! : url;
}
