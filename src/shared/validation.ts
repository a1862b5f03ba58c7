import type { z } from 'zod';

/**
 * One line naming every failing field, e.g.
 * `threads: Too big: expected number to be <=64; task.params.n: Required`.
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
