import { describe, expect, it } from 'vitest';
import { httpTargets } from './fixtures/http-target.js';
import { generate } from './fixtures/load.js';

describe('requests still unanswered when a run ends', () => {
  const targets = httpTargets();

  it('are counted as timeouts, not dropped', async () => {
    // Never answers; the timeout outlasts the run and its final drain (2 s), so only the end of the run gives up on them.
    const { url } = await targets.start(() => {});
    const result = await generate(url, { connections: 3, durationSec: 0.3, warmupSec: 0, timeoutMs: 5_000 });
    expect(result.requests).toBe(0);
    expect(result.errors).toEqual({ non2xx: 0, timeout: 3, reset: 0, refused: 0, other: 0 });
  });
});
