/**
 * Helpers shared by the pages' forms: text fields read as numbers, and the
 * engine schema's zod issues worded to fit next to a field.
 */
import type { z } from 'zod';

/** Reads a number field; empty means "not set", which the schema judges. */
export function readNumber<F extends string>(field: F, value: string, errors: Partial<Record<F, string>>): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const number = Number(trimmed);
  if (!Number.isFinite(number)) {
    errors[field] = 'Must be a number';
    return undefined;
  }
  return number;
}

/** Zod's wording, shortened to what fits next to a field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') {
    return issue.inclusive === false ? `Must be less than ${String(issue.maximum)}` : `Must be at most ${String(issue.maximum)}`;
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'array') return `Needs at least ${String(issue.minimum)}`;
    if (issue.origin === 'string') return 'Required';
    return issue.inclusive === false ? `Must be more than ${String(issue.minimum)}` : `Must be at least ${String(issue.minimum)}`;
  }
  if (issue.code === 'invalid_type') {
    if (issue.expected === 'int') return 'Must be a whole number';
    if (issue.input === undefined) return 'Required';
  }
  return issue.message;
}

/** Drops keys whose value is undefined, so optional fields left empty stay absent from a spec. */
export function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
