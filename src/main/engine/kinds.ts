import type { RunRecord, RunListItem } from '../../shared/run-record.js';
import type { ExperimentKindRunner } from './kind.js';
import { poolKind } from './pool/pool-kind.js';

/** Every registered experiment kind. Adding a kind: its spec in src/shared/specs, its runner here. */
export function createKindRegistry(): Map<string, ExperimentKindRunner<any>> {
  const runners: ExperimentKindRunner<any>[] = [poolKind];
  return new Map(runners.map((runner) => [runner.kind, runner]));
}

export function headlineFor(kinds: ReadonlyMap<string, ExperimentKindRunner<any>>) {
  return (record: RunRecord): RunListItem['headline'] => {
    const names = kinds.get(record.kind)?.headline ?? [];
    return Object.fromEntries(names.filter((n) => record.summary[n]).map((n) => [n, record.summary[n]!]));
  };
}
