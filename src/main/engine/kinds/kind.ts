import type { z } from 'zod';
import type { ErrorPayload } from '../../../shared/errors.js';
import type { MetricValue, Unit } from '../../../shared/metrics.js';
import type { Artifact, RecordTable } from '../../../shared/run-record.js';
import type { NodeRuntimeResolver } from '../processes/node-runtime.js';

/**
 * Where a running experiment reports what it measures. The engine keeps every
 * sample for the run record and batches them into frames (at most 10 per
 * second) for whoever is watching.
 */
export interface RunSink {
  /** Milliseconds since the run started: the time axis every series shares. */
  elapsed(): number;
  /** Names a series and its unit before its first sample. */
  declareSeries(name: string, unit: Unit, label?: string): void;
  /** Appends one sample; t defaults to now. */
  sample(series: string, value: number, t?: number): void;
  /** A timeline event (restart, GC, fault, slow query, failed job ...). */
  event(type: string, message: string, data?: Record<string, unknown>): void;
  /** The live summary so far; the latest call wins per key. */
  summary(values: Record<string, MetricValue>): void;
  /** Per-item raw values (per job, per request) for compare's resampling; reservoir-sampled. */
  observe(distribution: string, unit: Unit, value: number, label?: string): void;
  progress(done: number, total: number): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface RunContext {
  runId: string;
  /** Folder for this run's artifacts (profiles, snapshots); created on demand. */
  runDir: string;
  /** Where the built worker entry points live (out/main/workers). */
  workersDir: string;
  /** The Node.js that subject processes run on: the host's setting, never the spec's. */
  nodeRuntime: NodeRuntimeResolver;
}

/** What a kind's run returns; the engine adds spec, environment, series and events. */
export interface KindResult {
  summary: Record<string, MetricValue>;
  /** Set when the run failed; whatever was measured is still kept. */
  error?: ErrorPayload;
  artifacts?: Artifact[];
  /** Tables for the record (query statistics, slow-query log ...). */
  tables?: Record<string, RecordTable>;
  /** Extra environment facts (e.g. Postgres version). */
  environment?: Record<string, string>;
}

/** One experiment kind: a spec schema and a run. Sweeps, store, compare and reports are generic over it. */
export interface ExperimentKindRunner<Spec = unknown> {
  readonly kind: string;
  readonly specSchema: z.ZodType<Spec>;
  run(spec: Spec, sink: RunSink, signal: AbortSignal, context: RunContext): Promise<KindResult>;
  /** Headline metrics for the runs list, picked from the summary. */
  readonly headline: readonly string[];
  /**
   * The kind records the engine main thread's event-loop delay and
   * utilisation itself (series eldP50, eldP99, eldMax, elu): the run's
   * engine probe then leaves them out rather than measure the same loop twice.
   */
  readonly recordsEngineEventLoop?: boolean;
  /**
   * How long a run of this spec is planned to take (warm-up included, setup
   * such as starting a cluster or seeding data not), for the sweep preview.
   * Left out by kinds whose length depends on the work, not on a clock.
   */
  plannedDurationSec?(spec: Spec): number;
  /**
   * Throws TB_INVALID_SPEC when this machine cannot run a valid spec safely
   * (e.g. a memory scenario that would hold more than its share of the
   * machine's memory): checked before anything starts.
   */
  admit?(spec: Spec): void;
  /** The name of a run whose spec has none: the settings that tell this kind's runs apart. */
  defaultName(spec: Spec): string;
}
