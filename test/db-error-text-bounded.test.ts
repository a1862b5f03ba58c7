import { describe, expect, it } from 'vitest';
import { boundedErrorText, describePgError, MAX_ERROR_TEXT } from '../src/main/engine/postgres/connection.js';

/** A server error as node-postgres raises it: message, SQLSTATE, and fields that can carry data. */
function serverError(message: string, fields: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { code: '22P02', ...fields });
}

describe('server error texts are bounded before they are kept anywhere', () => {
  it('keeps the first line, cuts quoted values and the whole, and never copies detail, hint, where or context', () => {
    const content = `${'a'.repeat(100)}SECRET-TAIL`;
    const error = serverError(`invalid input syntax for type integer: "${content}"\nsecond line with more data`, {
      detail: 'DETAIL-DATA',
      hint: 'HINT-DATA',
      where: 'WHERE-DATA',
      internalQuery: 'INTERNAL-DATA',
    });
    const text = describePgError(error);
    expect(text).toBe(`invalid input syntax for type integer: "${'a'.repeat(64)}…" … (SQLSTATE 22P02)`);
    for (const leaked of ['SECRET-TAIL', 'second line', 'DETAIL-DATA', 'HINT-DATA', 'WHERE-DATA', 'INTERNAL-DATA']) {
      expect(text).not.toContain(leaked);
    }
  });

  it('cuts a long unquoted text and leaves short ones as they are', () => {
    expect(boundedErrorText('b'.repeat(1_000))).toBe(`${'b'.repeat(MAX_ERROR_TEXT)}…`);
    expect(boundedErrorText('relation "tunebench.items" does not exist')).toBe('relation "tunebench.items" does not exist');
    expect(describePgError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
