import { z } from 'zod';
import { examplePoolSpec, PoolSpecSchema } from './pool.js';

/**
 * Every experiment kind's spec schema, by kind. Adding a kind means adding its
 * schema and example here and registering its runner in the engine.
 */
export const specSchemas = {
  pool: PoolSpecSchema,
} as const;

export type ExperimentKind = keyof typeof specSchemas;
export const experimentKinds = Object.keys(specSchemas) as ExperimentKind[];

export const exampleSpecs: Record<ExperimentKind, z.input<(typeof specSchemas)[ExperimentKind]>> = {
  pool: examplePoolSpec,
};

export const ExperimentSpecSchema = z.discriminatedUnion('kind', [PoolSpecSchema]);
export type ExperimentSpec = z.infer<typeof ExperimentSpecSchema>;
export type ExperimentSpecInput = z.input<typeof ExperimentSpecSchema>;

export * from './pool.js';
export * from './tasks.js';
