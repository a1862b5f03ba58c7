import { z } from 'zod';
import { FindingSchema } from './findings.js';
import { SafeIdSchema } from './ids.js';
import { NoiseVerdictSchema } from './noise.js';
import { DistributionSchema, MetricValueSchema, RunEventSchema, SeriesSchema } from './metrics.js';

/** interrupted: the workbench died mid-run; the record was rebuilt from the run's journal up to its last flush. */
export const RunStatusSchema = z.enum(['running', 'completed', 'stopped', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const EnvironmentSchema = z.object({
  tunebenchVersion: z.string(),
  host: z.enum(['electron', 'web', 'cli', 'test']),
  node: z.string(),
  v8: z.string(),
  electron: z.string().optional(),
  os: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cpuCount: z.number(),
  totalMemoryMb: z.number(),
  extra: z.record(z.string(), z.string()).optional(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

export const ArtifactSchema = z.object({
  name: z.string(),
  kind: z.string(),
  /** A file name in the run's folder in the data directory (never a path: it comes back from imports too). */
  file: SafeIdSchema,
  bytes: z.number(),
  createdAt: z.string(),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

/** A small table a kind puts into its record (query statistics, slow-query log ...), shown as-is by the UI. */
export const RecordTableSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number()]))),
});
export type RecordTable = z.infer<typeof RecordTableSchema>;

/**
 * The record format. Each step up has a migration below, applied on read
 * (store, import), so a record is never set aside as corrupt because the
 * format moved on. 1 → 2: a load spec's target.cluster.nodePath (an
 * executable, now a host setting) leaves the spec and is kept as information
 * in the environment.
 */
export const RUN_RECORD_FORMAT = 2;

type Json = Record<string, unknown>;
const recordMigrations: Record<number, (record: Json) => Json> = {
  1: (record) => {
    const spec = record.spec as Json | undefined;
    const cluster = ((spec?.target as Json | undefined)?.cluster as Json | undefined) ?? undefined;
    if (!spec || !cluster || !('nodePath' in cluster)) return { ...record, format: 2 };
    const { nodePath, ...rest } = cluster;
    const environment = (record.environment as Json | undefined) ?? {};
    return {
      ...record,
      format: 2,
      spec: { ...spec, target: { ...(spec.target as Json), cluster: rest } },
      environment: { ...environment, extra: { ...((environment.extra as Json | undefined) ?? {}), subjectNodePathFromSpec: String(nodePath) } },
    };
  },
};

/** Brings a record of an older format up to RUN_RECORD_FORMAT; anything else passes through for the schema to judge. */
export function migrateRunRecord(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  let record = value as Json;
  while (typeof record.format === 'number' && record.format < RUN_RECORD_FORMAT && recordMigrations[record.format]) {
    record = recordMigrations[record.format]!(record);
  }
  return record;
}

const RunRecordShape = z.object({
  format: z.literal(RUN_RECORD_FORMAT),
  id: SafeIdSchema,
  kind: z.string().min(1),
  name: z.string(),
  /** The kind's spec, validated by that kind's schema when run. */
  spec: z.record(z.string(), z.unknown()),
  environment: EnvironmentSchema,
  status: RunStatusSchema,
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  summary: z.record(z.string(), MetricValueSchema),
  series: z.record(z.string(), SeriesSchema),
  events: z.array(RunEventSchema),
  distributions: z.record(z.string(), DistributionSchema).default({}),
  artifacts: z.array(ArtifactSchema).default([]),
  tables: z.record(z.string(), RecordTableSchema).optional(),
  /** How quiet the machine was while the run measured; absent in records from before it was measured. */
  noise: NoiseVerdictSchema.optional(),
  /** What the findings rules read in the run, most severe first; absent in records from before there were findings. */
  findings: z.array(FindingSchema).optional(),
  /** Optional links between runs: the run this one reran, a sweep it belongs to. */
  origin: z
    .object({ rerunOf: SafeIdSchema.optional(), sweepId: SafeIdSchema.optional(), point: z.number().optional() })
    .optional(),
});
/** The same record for every experiment kind: what sweeps, compare, reports and the store rely on. Older formats are migrated on parse. */
export const RunRecordSchema = z.preprocess(migrateRunRecord, RunRecordShape);
export type RunRecord = z.infer<typeof RunRecordShape>;

/** What the runs list shows without loading whole records. */
export const RunListItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  status: RunStatusSchema,
  startedAt: z.string(),
  durationMs: z.number(),
  headline: z.record(z.string(), MetricValueSchema),
  /** How quiet the machine was (the record's noise verdict); absent for runs from before it was measured. */
  noise: NoiseVerdictSchema.optional(),
  /** The settings that tell the run apart (its kind's automatic name, from the spec), whatever the run is called. */
  settings: z.string().optional(),
  /** The sweep the run was made for, and its point there. */
  sweepId: z.string().optional(),
  point: z.number().optional(),
});
export type RunListItem = z.infer<typeof RunListItemSchema>;

/** What runs.list can narrow the list to: a kind, and words that must all appear in the name, id, settings or sweep. */
export interface RunListFilter {
  kind?: string | undefined;
  text?: string | undefined;
}

/** The items that pass the filter, in their order: a kind exactly, every word of the text (case-insensitive) somewhere. */
export function filterRunList<T extends RunListItem>(items: readonly T[], filter: RunListFilter): T[] {
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!filter.kind && !words.length) return [...items];
  return items.filter((item) => {
    if (filter.kind && item.kind !== filter.kind) return false;
    if (!words.length) return true;
    const haystack = [item.name, item.id, item.settings ?? '', item.sweepId ?? ''].join('\n').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
