/**
 * Every id that becomes part of a path in the data directory (runs, sweeps,
 * artifacts) passes this one schema: in contract calls, in records read from
 * disk and in imported files. The stores check the built path again (a second
 * wall), but nothing that fails here ever reaches them.
 */
import { z } from 'zod';

export const MAX_ID_LENGTH = 128;

/** Letters, digits, `_`, `.` and `-`; never starting with a dot, so never `.` or `..`. */
const ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
/** Names Windows keeps for devices whatever the extension; a file called so cannot be written there. */
const DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

export const ID_RULE = `letters, digits, "_", "." and "-", at most ${MAX_ID_LENGTH} characters, not starting with a dot`;

/** Why `value` is not a safe id, or null when it is one. */
export function idProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (!ID_PATTERN.test(value)) return 'may hold only letters, digits, "_", "." and "-", and must not start with a dot';
  if (DEVICE_NAME.test(value)) return 'must not be a device name (con, nul, com1 ...)';
  return null;
}

export function isSafeId(value: unknown): value is string {
  return idProblem(value) === null;
}

/** The id schema for runs, sweeps and artifact file names. */
export const SafeIdSchema = z.string().superRefine((value, context) => {
  const problem = idProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
