import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';

const brokenWorker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'broken-worker.mjs');

describe('pool kind: a run whose every job fails', () => {
  const engines = engineFactory();

  it('is saved as failed with the first failure, every job counted and at most 100 failure events listed', async () => {
    // A workers folder whose simple-pool worker cannot load, like a broken build.
    const workers = await engines.tempDir();
    await fs.copyFile(brokenWorker, path.join(workers, 'simple-pool-worker.js'));
    const engine = await engines.open(await engines.tempDir(), workers);

    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'pool',
        task: { name: 'fibonacci', params: { n: 5 } },
        pool: { implementation: 'simple', threads: 1 },
        jobs: 150,
      },
    });
    const record = await engine.runs.wait(runId)!;

    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('TB_WORKER_CRASHED');
    expect(record.error?.message).toContain('this worker cannot start');
    expect(record.summary.completed!.value).toBe(0);
    expect(record.summary.failed!.value).toBe(150);
    const failures = record.events.filter((event) => event.type === 'job-failed');
    expect(failures).toHaveLength(101);
    expect(failures.at(-1)!.message).toBe('50 more job-failed events not listed (150 in all)');
  });
});
