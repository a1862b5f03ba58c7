import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf, UsageError } from '../src/main/cli-core.js';
import { errorCatalogue, isErrorCode, toErrorPayload, TunebenchError, type ErrorCode } from '../src/shared/errors.js';

/**
 * The error catalogue: every code documents itself, has a message template of
 * its own, a CLI exit class and an HTTP status, and the CLI reads its exit
 * code from there.
 */
const entries = Object.entries(errorCatalogue) as [ErrorCode, (typeof errorCatalogue)[ErrorCode]][];

/** The catch-alls whose message is a wrapped lower message and nothing of their own to add. */
const DETAIL_ONLY_ALLOWED = new Set<string>(['TB_INVALID_OPTION', 'TB_UNAVAILABLE', 'TB_CLUSTER_REFUSED', 'TB_CONFIRM_REQUIRED', 'TB_ATTACH_REFUSED']);

describe('error catalogue', () => {
  it.each(entries)('%s has a doc, a template, an exit class and an HTTP status', (_code, entry) => {
    expect(entry.doc.length).toBeGreaterThan(20);
    expect(entry.template.length).toBeGreaterThan(0);
    expect(['input', 'failed']).toContain(entry.exit);
    expect([400, 401, 403, 404, 405, 409, 413, 500, 502, 503]).toContain(entry.http);
  });

  it('gives no two codes the same template (the catch-alls aside)', () => {
    const byTemplate = new Map<string, string[]>();
    for (const [code, entry] of entries.filter(([name]) => !DETAIL_ONLY_ALLOWED.has(name))) byTemplate.set(entry.template, [...(byTemplate.get(entry.template) ?? []), code]);
    expect([...byTemplate.values()].filter((codes) => codes.length > 1)).toEqual([]);
  });

  it('has no template that is only {detail}, except the listed catch-alls', () => {
    const detailOnly = entries.filter(([, entry]) => entry.template.trim() === '{detail}').map(([code]) => code);
    expect(detailOnly.filter((code) => !DETAIL_ONLY_ALLOWED.has(code))).toEqual([]);
  });

  it('names codes only by its own keys', () => {
    expect(isErrorCode('TB_INTERNAL')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', 'TB_NOPE', 42]) expect(isErrorCode(name)).toBe(false);
    expect(toErrorPayload({ code: 'toString', message: 'x' }).code).toBe('TB_INTERNAL');
    expect(TunebenchError.fromPayload({ code: 'hasOwnProperty' as ErrorCode, message: 'x' }).code).toBe('TB_INTERNAL');
  });
});

describe('the CLI exit code comes from the catalogue', () => {
  it('exits 2 for bad input and 1 for a failure', () => {
    expect(exitCodeOf(new TunebenchError('TB_INVALID_SPEC', { detail: 'x' }))).toBe(EXIT.badInput);
    expect(exitCodeOf(new TunebenchError('TB_RUN_NOT_ACTIVE', { id: 'r' }))).toBe(EXIT.failed);
    expect(exitCodeOf(new UsageError('missing file'))).toBe(EXIT.badInput);
    expect(exitCodeOf(new Error('plain'))).toBe(EXIT.failed);
  });

  it.each(entries)('%s exits as its class says', (code, entry) => {
    expect(exitCodeOf(new TunebenchError(code))).toBe(entry.exit === 'input' ? EXIT.badInput : EXIT.failed);
  });
});
