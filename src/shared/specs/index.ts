import { z } from 'zod';
import { exampleLoadSpec, LoadSpecSchema } from './load.js';
import { DbSpecSchema, exampleDbSpec } from './db.js';
import { exampleMemorySpec, MemorySpecSchema } from './memory.js';
import { examplePoolSpec, PoolSpecSchema } from './pool.js';

/**
 * Every experiment kind's spec schema, by kind. Adding a kind means adding its
 * schema and example here and registering its runner in the engine.
 */
export const specSchemas = {
  pool: PoolSpecSchema,
  memory: MemorySpecSchema,
  db: DbSpecSchema,
  load: LoadSpecSchema,
} as const;

export type ExperimentKind = keyof typeof specSchemas;
export const experimentKinds = Object.keys(specSchemas) as ExperimentKind[];

export const exampleSpecs: Record<ExperimentKind, z.input<(typeof specSchemas)[ExperimentKind]>> = {
  pool: examplePoolSpec,
  memory: exampleMemorySpec,
  db: exampleDbSpec,
  load: exampleLoadSpec,
};

export const ExperimentSpecSchema = z.discriminatedUnion('kind', [PoolSpecSchema, DbSpecSchema, MemorySpecSchema, LoadSpecSchema]);
export type ExperimentSpec = z.infer<typeof ExperimentSpecSchema>;
export type ExperimentSpecInput = z.input<typeof ExperimentSpecSchema>;

export * from './cluster.js';
export * from './load.js';
export * from './db.js';
export * from './memory.js';
export * from './pool.js';
export * from './tasks.js';
