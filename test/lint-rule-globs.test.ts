import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './fixtures/built.js';

/** A lint glob as a regular expression: `**` any path, `*` within one path segment. */
function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${pattern}$`);
}

describe('the lint rules name real paths', () => {
  it('every files glob of the layering rules matches at least one tracked file', async () => {
    const configFile = `${repoRoot}/eslint.config.js`;
    const { default: config } = (await import(configFile)) as { default: Array<{ files?: string[]; rules?: Record<string, unknown> }> };
    const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    // The layering rules: every entry of ours that restricts imports.
    const globs = config.filter((entry) => entry.rules?.['no-restricted-imports']).flatMap((entry) => entry.files ?? []);
    expect(globs.length).toBeGreaterThan(5);
    const unmatched = globs.filter((glob) => !tracked.some((file) => globToRegExp(glob).test(file)));
    expect(unmatched).toEqual([]);
  });
});
