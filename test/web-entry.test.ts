import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNode, waitForOutput } from './fixtures/built.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-web-entry-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('npm run web entry (out/main/web.js)', () => {
  it('prints one line with the URL, serves the app there, and exits 0 on SIGTERM', async () => {
    const { child, finished } = spawnNode(['out/main/web.js'], { TUNEBENCH_DATA_DIR: dataDir, TUNEBENCH_PORT: '' });
    try {
      const printed = await waitForOutput(child, 'stdout', /\n/);
      const match = /^Tunebench is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n$/.exec(printed);
      expect(match, printed).not.toBeNull();

      const response = await fetch(match![1]!);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      await response.text();
    } finally {
      child.kill('SIGTERM');
    }
    const result = await finished;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses a bad --port with exit 2', async () => {
    const { finished } = spawnNode(['out/main/web.js', '--port', 'eighty'], { TUNEBENCH_DATA_DIR: dataDir });
    const result = await finished;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be a port number from 0 to 65535');
  });
});
