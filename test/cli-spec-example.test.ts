import { describe, expect, it } from 'vitest';
import { ExperimentSpecSchema, experimentKinds } from '../src/shared/specs/index.js';
import { tunebench } from './fixtures/built.js';

describe('tunebench spec --example', () => {
  it('prints a valid example spec for every kind', async () => {
    for (const kind of experimentKinds) {
      const result = await tunebench(['spec', '--example', kind]);
      expect(result.code, result.stderr).toBe(0);
      const parsed = ExperimentSpecSchema.safeParse(JSON.parse(result.stdout));
      expect(parsed.success, `${kind}: ${parsed.error?.message}`).toBe(true);
      expect(parsed.data?.kind).toBe(kind);
    }
  });

  it('refuses an unknown kind with exit 2, listing the kinds', async () => {
    const result = await tunebench(['spec', '--example', 'teapot']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`unknown kind "teapot"; kinds: ${experimentKinds.join(', ')}`);
    expect(result.stdout).toBe('');
  });
});
