/**
 * `tunebench doctor` and the Settings page's checks: one entry per thing the
 * environment must provide, each saying what was found and what to do about
 * it. Exit code and page headline: every check that is not 'fail'.
 */
import { z } from 'zod';

export const DoctorStatusSchema = z.enum(['ok', 'warn', 'fail', 'skip']);
export type DoctorStatus = z.infer<typeof DoctorStatusSchema>;

export const DoctorCheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: DoctorStatusSchema,
  /** What was found. */
  detail: z.string(),
  /** What to do about it (warnings and failures). */
  fix: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.object({
  /** No check failed (warnings and skipped checks do not count). */
  ok: z.boolean(),
  checks: z.array(DoctorCheckSchema),
  at: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

/** The mark each status gets in the CLI and on the page. */
export const doctorMarks: Record<DoctorStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };
