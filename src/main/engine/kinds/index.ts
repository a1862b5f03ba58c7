import type { RunRecord, RunListItem } from '../../../shared/run-record.js';
import type { ChildRegistry } from '../processes/child-registry.js';
import type { ClusterService } from '../cluster/cluster-service.js';
import { createLoadKind, type LoadKindServices } from './load/load-kind.js';
import type { ServiceCatalog } from '../services/catalog.js';
import { createDbKind } from './db/db-kind.js';
import type { DbService } from '../postgres/db-service.js';
import type { ExperimentKindRunner } from './kind.js';
import { poolKind } from './pool/pool-kind.js';
import { createMemoryKind } from './memory/memory-kind.js';

export interface KindServices {
  /** The engine's database side (embedded server, profiles), which the db kind connects through. */
  db: DbService;
  /** Owner of every child process (cluster supervisors, memory sandboxes). */
  children: ChildRegistry;
  /** The standing cluster that load runs can target. */
  clusters: ClusterService;
  /** The trusted service definitions load runs can target by name. */
  catalog: ServiceCatalog;
  /** The live tail of a run's service output (the service.log stream). */
  publishLog?: LoadKindServices['publishLog'];
}

/** Every registered experiment kind. Adding a kind: its spec in src/shared/specs, its runner here. */
export function createKindRegistry(services: KindServices): Map<string, ExperimentKindRunner<any>> {
  const runners: ExperimentKindRunner<any>[] = [poolKind, createDbKind(services.db), createMemoryKind(services.children), createLoadKind(services)];
  return new Map(runners.map((runner) => [runner.kind, runner]));
}

export function headlineFor(kinds: ReadonlyMap<string, ExperimentKindRunner<any>>) {
  return (record: RunRecord): RunListItem['headline'] => {
    const names = kinds.get(record.kind)?.headline ?? [];
    return Object.fromEntries(names.filter((n) => record.summary[n]).map((n) => [n, record.summary[n]!]));
  };
}

/** A run's key settings for the runs list: its kind's automatic name of the spec it ran ("primes 100k · piscina · 2 threads · 20k jobs"). */
export function settingsFor(kinds: ReadonlyMap<string, ExperimentKindRunner<any>>) {
  return (record: RunRecord): string | undefined => {
    const runner = kinds.get(record.kind);
    if (!runner) return undefined;
    try {
      // The record keeps the spec as it ran (parsed, defaults filled); an older or imported one may lack a field.
      return runner.defaultName(record.spec);
    } catch {
      return undefined;
    }
  };
}
