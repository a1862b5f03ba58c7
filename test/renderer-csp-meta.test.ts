import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../src/main/host-binding.js';
import { repoRoot } from './fixtures/built.js';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...sources] = part.split(/\s+/);
        return [name!, sources.join(' ')] as const;
      }),
  );
}

describe("the renderer's meta Content-Security-Policy", () => {
  // Under Vite's dev server the meta tag is the policy; the app scheme and the web host also send it as a header.
  it("is the hosts' policy, without the one directive a meta tag cannot carry", () => {
    const html = readFileSync(path.join(repoRoot, 'src/renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    const expected = directives(contentSecurityPolicy());
    expected.delete('frame-ancestors');
    expect(Object.fromEntries(directives(meta![1]!))).toEqual(Object.fromEntries(expected));
  });

  it('lets the page connect only to its own origin', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toBe("'self'");
  });
});
