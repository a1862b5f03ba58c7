import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tunebench } from './fixtures/built.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-cli-task-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('tunebench task', () => {
  it('runs primes up to a million once in a worker and prints the count and the largest prime', async () => {
    const result = await tunebench(['task', 'primes', '--params', '{"limit":1000000}'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('78498');
    expect(result.stdout).toContain('999983');
    expect(result.stdout).toMatch(/took [\d.,]+ m?s/);
  });

  it('refuses an unknown task and bad parameters with exit 2 and a clear message', async () => {
    const unknown = await tunebench(['task', 'teleport'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown task "teleport"; known tasks: fibonacci, primes');

    const outOfRange = await tunebench(['task', 'primes', '--params', '{"limit":-5}'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain('Invalid parameters for task "primes": limit');

    const notJson = await tunebench(['task', 'primes', '--params', '{limit:'], { TUNEBENCH_DATA_DIR: dataDir });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--params is not valid JSON');
  });
});
