/**
 * What both exports share: reading the spec, the target URL, the notes on
 * what another engine cannot do, and text that is safe inside a script.
 */
import { TunebenchError } from '../../../shared/errors.js';
import type { LoadSpec } from '../../../shared/specs/load.js';
import type { AnalysisTarget } from '../../../shared/studies.js';

export interface ExportOptions {
  target?: AnalysisTarget | undefined;
  expectedLatencyMs?: number | undefined;
}

/** When nothing says how fast the target answers: a latency many services meet, so VUs and rates are not starved. */
export const DEFAULT_EXPECTED_LATENCY_MS = 50;

/** The base URL the script sends to, and whether the script must be told it (a Tunebench cluster has no address outside a run). */
export function targetOf(spec: LoadSpec): { url: string | undefined; notes: string[] } {
  switch (spec.target.type) {
    case 'url':
      return { url: spec.target.url.replace(/\/$/, ''), notes: [] };
    case 'cluster': {
      const { workers } = spec.target.cluster;
      return {
        url: undefined,
        notes: [
          `The target is a Tunebench cluster of ${workers} worker(s) started for each run; the script cannot start it. ` +
            `Start the service yourself (for a Tunebench test server: tunebench serve --workers ${workers} --port 8080) and pass its address as TARGET_URL.`,
          'The cluster\'s own settings (workers, scheduling, heap, pool threads, health and restart policies) are not part of the script.',
        ],
      };
    }
    case 'running-cluster':
      return {
        url: undefined,
        notes: ['The target is the workbench\'s standing cluster, which has no address outside it; pass the service\'s address as TARGET_URL.'],
      };
    case 'service': {
      const knobs = Object.entries(spec.target.knobs).map(([name, value]) => `${name}=${String(value)}`);
      return {
        url: undefined,
        notes: [
          `The target is the service "${spec.target.service}"${knobs.length ? ` with ${knobs.join(', ')}` : ''}, which Tunebench starts for each run from its definition; ` +
            'the script cannot start it. Start it yourself with those settings and pass its address as TARGET_URL.',
        ],
      };
    }
  }
}

/** What the spec has that no exported script can do, named rather than dropped. */
export function clusterActionNotes(spec: LoadSpec): string[] {
  const notes: string[] = [];
  for (const { atSec, fault } of spec.faults) {
    const what = fault.action === 'kill' ? 'kill -9' : fault.action === 'block' ? `a ${fault.ms} ms event-loop block` : `a leak of ${fault.mbPerSecond} MB/s for ${fault.seconds} s`;
    notes.push(`Not expressed: the fault at ${atSec} s (${what} of worker ${fault.slot}); another engine cannot reach into a Tunebench cluster. Inject it yourself at that second.`);
  }
  if (spec.rollingRestartAtSec !== undefined) {
    notes.push(`Not expressed: the rolling restart of the Tunebench cluster at ${spec.rollingRestartAtSec} s; restart the service yourself at that second.`);
  }
  return notes;
}

/** Notes every export carries about what Tunebench measures that the other engine does not. */
export function measurementNotes(engine: string): string[] {
  return [
    `Not measured by ${engine}: the target's per-worker share, event-loop delay, CPU and heap, nor how busy the generating machines were (the imported run has no machine-noise verdict).`,
  ];
}

/** A JSON string literal that is safe anywhere in JavaScript or YAML, line separators included (they end a // comment). */
export function quote(text: string): string {
  return escapeLineSeparators(JSON.stringify(text));
}

export function escapeLineSeparators(text: string): string {
  return text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The spec as comment lines: JSON, one line each, nothing in it able to end the comment. */
export function commentLines(prefix: string, value: unknown): string[] {
  return escapeLineSeparators(JSON.stringify(value, null, 2))
    .split('\n')
    .map((line) => `${prefix} ${line.replace(/\r/g, '\\r')}`);
}

/** A base name for the exported file: the spec's name, made safe, or the kind. */
export function baseFileName(spec: LoadSpec): string {
  const slug = (spec.name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'tunebench-load';
}

/** Milliseconds as a duration k6 and Artillery read: "250ms", "10s". */
export function durationText(ms: number): string {
  return Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** Refuses an export the other tool would read wrongly; `tool` names it, `reason` says what to change. */
export function refuse(tool: string, reason: string): never {
  throw new TunebenchError('TB_EXPORT_REFUSED', { tool, reason });
}

/** The expected latency: the caller's, else a latency target's value, else the default. */
export function expectedLatencyOf(options: ExportOptions): { ms: number; from: string } {
  if (options.expectedLatencyMs !== undefined) return { ms: options.expectedLatencyMs, from: 'the expected latency given' };
  const target = options.target;
  if (target && /^latency\./.test(target.metric) && (target.op === '<' || target.op === '<=') && target.value > 0) {
    return { ms: target.value, from: `the target ${target.metric} ${target.op} ${target.value} ms` };
  }
  return { ms: DEFAULT_EXPECTED_LATENCY_MS, from: `a default of ${DEFAULT_EXPECTED_LATENCY_MS} ms (no expected latency or latency target given)` };
}
