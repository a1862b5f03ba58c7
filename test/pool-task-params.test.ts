import { describe, expect, it } from 'vitest';
import { parseTaskRef } from '../src/main/engine/kinds/pool/task-ref.js';

function failure(raw: unknown): { code: string; message: string } {
  try {
    parseTaskRef(raw);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected parseTaskRef to throw');
}

describe('task parameters are validated before dispatch', () => {
  it('rejects fibonacci n=46 naming the field and the limit', () => {
    const error = failure({ name: 'fibonacci', params: { n: 46 } });
    expect(error.code).toBe('TB_INVALID_TASK_PARAMS');
    expect(error.message).toMatch(/^Invalid parameters for task "fibonacci": n: .*45/);
  });

  it('rejects unknown fields and wrong types', () => {
    expect(failure({ name: 'primes', params: { limit: 10, extra: 1 } }).message).toContain('extra');
    expect(failure({ name: 'spin', params: { ms: 'fast' } }).message).toMatch(/ms: /);
    expect(failure({ name: 'blur', params: { width: 10 } }).message).toMatch(/height/);
  });

  it('rejects an unknown task, listing the known ones', () => {
    const error = failure({ name: 'teleport', params: {} });
    expect(error.code).toBe('TB_UNKNOWN_TASK');
    expect(error.message).toBe('Unknown task "teleport"; known tasks: fibonacci, primes, matrixMultiply, blur, spin');
    expect(failure({ name: 'constructor' }).code).toBe('TB_UNKNOWN_TASK');
    expect(failure(null).code).toBe('TB_UNKNOWN_TASK');
  });

  it('applies defaults, e.g. the seed', () => {
    expect(parseTaskRef({ name: 'matrixMultiply', params: { size: 3 } })).toEqual({
      name: 'matrixMultiply',
      params: { size: 3, seed: 1 },
    });
  });
});
