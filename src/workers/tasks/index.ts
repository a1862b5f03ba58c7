import type { TaskName, TaskParams, TaskResultSummary } from '../../shared/specs/tasks.js';
import { blur } from './blur.js';
import { fibonacci } from './fibonacci.js';
import { matrixMultiply } from './matrix-multiply.js';
import { primes } from './primes.js';
import { fnv1a } from './random.js';
import { spin } from './spin.js';

/**
 * The task table. Parameters arrive already validated by the engine (zod stays
 * out of the workers so they start fast and run cheap).
 */
export const tasks = {
  fibonacci: ({ n }: TaskParams<'fibonacci'>) => fibonacci(n),
  primes: ({ limit }: TaskParams<'primes'>) => primes(limit),
  matrixMultiply: ({ size, seed }: TaskParams<'matrixMultiply'>) => matrixMultiply(size, seed),
  blur: ({ width, height, seed }: TaskParams<'blur'>) => blur(width, height, seed),
  spin: ({ ms }: TaskParams<'spin'>) => {
    spin(ms);
    return ms;
  },
} satisfies { [N in TaskName]: (params: TaskParams<N>) => unknown };

export type TaskOutput<N extends TaskName> = ReturnType<(typeof tasks)[N]>;

/** Results can be megabytes (10M-limit primes); only this small view crosses back to the main thread. */
const summarizers: { [N in TaskName]: (result: TaskOutput<N>) => TaskResultSummary } = {
  fibonacci: (value) => ({ value }),
  primes: (found) => ({ count: found.length, largest: found.length ? found[found.length - 1]! : 0 }),
  matrixMultiply: ({ size, values }) => {
    let checksum = 0;
    let trace = 0;
    for (let i = 0; i < values.length; i++) checksum += values[i]!;
    for (let i = 0; i < size; i++) trace += values[i * size + i]!;
    return { size, checksum: roundTo6(checksum), trace: roundTo6(trace) };
  },
  blur: ({ width, height, pixels }) => ({ width, height, checksum: fnv1a(pixels) }),
  spin: (ms) => ({ ms }),
};

export function summarize<N extends TaskName>(name: N, result: TaskOutput<N>): TaskResultSummary {
  return summarizers[name](result);
}

export function isTaskName(name: unknown): name is TaskName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(tasks, name);
}

/** Runs one task and returns its summary; throws whatever the task throws. */
export function runTask(name: TaskName, params: unknown): TaskResultSummary {
  const task = tasks[name] as (params: unknown) => TaskOutput<TaskName>;
  return summarize(name, task(params));
}

function roundTo6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
