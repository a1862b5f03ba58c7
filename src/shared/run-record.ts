import { z } from 'zod';
import { SafeIdSchema } from './ids.js';
import { NoiseVerdictSchema } from './noise.js';
import { DistributionSchema, MetricValueSchema, RunEventSchema, SeriesSchema } from './metrics.js';

export const RunStatusSchema = z.enum(['running', 'completed', 'stopped', 'failed']);
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

export const RUN_RECORD_FORMAT = 1;

/** The same record for every experiment kind: what sweeps, compare, reports and the store rely on. */
export const RunRecordSchema = z.object({
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
  /** Optional links between runs: the run this one reran, a sweep it belongs to. */
  origin: z
    .object({ rerunOf: SafeIdSchema.optional(), sweepId: SafeIdSchema.optional(), point: z.number().optional() })
    .optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

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
});
export type RunListItem = z.infer<typeof RunListItemSchema>;
