/**
 * The settings a sweep can vary, named as the kinds' forms name them
 * (shared/specs/setting-labels.ts), and in the order a person looks for them.
 */
import { experimentKinds, type ExperimentKind } from '../../shared/specs/index.js';
import { settingLabelOf } from '../../shared/specs/setting-labels.js';

/** The kind of a base spec being edited, when it names a known one. */
export function kindOf(base: unknown): ExperimentKind | undefined {
  const kind = (base as { kind?: unknown } | undefined)?.kind;
  return experimentKinds.find((known) => known === kind);
}

/** 'Threads (pool.threads)', 'Knob poolMax (target.knobs.poolMax)', or the path itself when nothing names it better. */
export function settingOptionText(kind: ExperimentKind | undefined, path: string): string {
  const label = kind ? settingLabelOf(kind, path) : undefined;
  return label === undefined ? path : `${label} (${path})`;
}

/** Paths that only say how a run is sampled or named: suggested last. */
const bookkeeping = /^(sampleIntervalMs|probeIntervalMs|seed|name|target\.type|target\.url)$|^leakRule\./;

/** The sweepable settings in the order a person looks for them: knobs, then labelled settings, then the rest. */
export function orderSettings(kind: ExperimentKind | undefined, paths: readonly string[]): string[] {
  const rank = (path: string) =>
    path.startsWith('target.knobs.') ? 0 : bookkeeping.test(path) ? 3 : kind && settingLabelOf(kind, path) !== undefined ? 1 : 2;
  return [...paths].sort((a, b) => rank(a) - rank(b));
}
