import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../src/main/engine/store.js';

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('RunStore warning about a JSON file that is no run record', () => {
  // The app shows this warning in a banner: a dozen missing fields made it a paragraph.
  it('names the first three problems and counts the rest', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-store-'));
    await fs.mkdir(path.join(dataDir, 'runs'));
    await fs.writeFile(path.join(dataDir, 'runs', 'stranger.json'), '{"id": "stranger"}');

    const store = new RunStore(dataDir);
    await store.open();

    expect(store.warnings).toHaveLength(1);
    const [warning] = store.warnings;
    expect(warning).toMatch(/^Run file stranger\.json could not be read \(not a run record \(/);
    expect(warning!.match(/Invalid/g)).toHaveLength(3);
    expect(warning).toMatch(/; and \d+ more problems\)\); moved to .*corrupt/);
  });
});
