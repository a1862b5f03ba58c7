import { z } from 'zod';

const int = () => z.number().int();

/** Parameter schemas of the pool tasks; limits keep one job bounded in time and memory. */
export const taskParamSchemas = {
  fibonacci: z.object({ n: int().min(0).max(45) }).strict(),
  primes: z.object({ limit: int().min(2).max(10_000_000) }).strict(),
  matrixMultiply: z.object({ size: int().min(1).max(600), seed: int().min(0).default(1) }).strict(),
  blur: z
    .object({ width: int().min(1).max(4096), height: int().min(1).max(4096), seed: int().min(0).default(1) })
    .strict(),
  spin: z.object({ ms: z.number().min(0).max(60_000) }).strict(),
} as const;

export type TaskName = keyof typeof taskParamSchemas;
export const taskNames = Object.keys(taskParamSchemas) as TaskName[];
export const TaskNameSchema = z.enum(taskNames as [TaskName, ...TaskName[]]);
export type TaskParams<N extends TaskName> = z.infer<(typeof taskParamSchemas)[N]>;

export const TaskRefSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('fibonacci'), params: taskParamSchemas.fibonacci }),
  z.object({ name: z.literal('primes'), params: taskParamSchemas.primes }),
  z.object({ name: z.literal('matrixMultiply'), params: taskParamSchemas.matrixMultiply }),
  z.object({ name: z.literal('blur'), params: taskParamSchemas.blur }),
  z.object({ name: z.literal('spin'), params: taskParamSchemas.spin }),
]);
export type TaskRef = z.infer<typeof TaskRefSchema>;

export const taskDescriptions: Record<TaskName, string> = {
  fibonacci: 'Recursive fibonacci(n): pure CPU, exponential in n',
  primes: 'Sieve of Eratosthenes up to limit; returns the primes',
  matrixMultiply: 'Multiplies two seeded random size×size matrices',
  blur: '3×3 box blur of a seeded synthetic RGBA image',
  spin: 'Busy-waits for ms milliseconds (calibration)',
};

export const defaultTaskParams: { [N in TaskName]: z.input<(typeof taskParamSchemas)[N]> } = {
  fibonacci: { n: 25 },
  primes: { limit: 100_000 },
  matrixMultiply: { size: 100, seed: 1 },
  blur: { width: 256, height: 256, seed: 1 },
  spin: { ms: 5 },
};

/** A compact, cloneable view of a task's result, printed by the CLI and shown in the UI. */
export const TaskResultSummarySchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
export type TaskResultSummary = z.infer<typeof TaskResultSummarySchema>;
