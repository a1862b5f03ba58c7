import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { spinSpec } from './fixtures/experiments.js';
import { tunebench } from './fixtures/built.js';
import { tinyRunRecord } from './fixtures/run-record.js';

const workersDir = process.env.TUNEBENCH_WORKERS_DIR!;
let root: string;
/** A small tmpfs makes the disk really full; where mounting is not allowed, the test fills the store's writes with ENOSPC instead. */
let mounted = false;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', root], { stdio: 'ignore' });
    mounted = true;
  } catch {
    console.log('run-save-disk-full: cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); the disk-full error is injected instead');
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', ['-l', root]);
  await fs.rm(root, { recursive: true, force: true, maxRetries: 5 });
});

/** Fills the file system until fewer than `leave` bytes are free (tmpfs), returning the filler to delete later. */
async function fillDisk(dir: string, leave: number): Promise<string> {
  const filler = path.join(dir, 'filler.bin');
  const { bavail, bsize } = await fs.statfs(dir);
  await fs.writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - leave)));
  return filler;
}

describe('a full disk while saving', () => {
  it('keeps the run in memory, says so, replaces no good file, and saves it again once there is room', async () => {
    const dataDir = path.join(root, 'data');
    const engine = await Engine.create({ dataDir, workersDir, host: 'test' });
    try {
      await engine.runStore.save(tinyRunRecord('good-before'));
      const good = await fs.readFile(path.join(dataDir, 'runs', 'good-before.json'), 'utf8');
      const logs: string[] = [];
      engine.onStream((stream, payload) => stream === 'log' && logs.push((payload as { message: string }).message));
      let filler: string | undefined;
      if (mounted) {
        filler = await fillDisk(dataDir, 4 * 1024);
      } else {
        const save = engine.runStore.save.bind(engine.runStore);
        let refusals = 1;
        engine.runStore.save = async (record) => {
          if (refusals-- > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          return save(record);
        };
      }
      const { runId } = await engine.call('runs.start', { spec: spinSpec(1, 40) });
      const record = await engine.runs.wait(runId)!;
      expect(record.status).toBe('completed');

      const unsaved = await engine.call('runs.get', { runId });
      expect(unsaved.unsaved?.reason).toMatch(/ENOSPC|no space/i);
      expect(unsaved.run.summary.completed?.value).toBe(40);
      expect((await engine.call('runs.list', {})).runs.map((run) => run.id)).toEqual(['good-before']);
      expect(logs.join('\n')).toContain(`Run "${runId}" could not be saved`);
      expect(await fs.readFile(path.join(dataDir, 'runs', 'good-before.json'), 'utf8')).toBe(good);
      expect((await fs.readdir(path.join(dataDir, 'runs'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);

      if (filler) {
        // Still full: saving again fails the same way, and the run stays in memory.
        await expect(engine.call('runs.saveAgain', { runId })).rejects.toMatchObject({ code: 'TB_STORE_WRITE' });
        expect(engine.runs.unsavedRun(runId)).toBeDefined();
        await fs.rm(filler);
      }
      await engine.call('runs.saveAgain', { runId });
      expect((await engine.call('runs.get', { runId })).unsaved).toBeUndefined();
      expect((await engine.call('runs.list', {})).runs.map((run) => run.id).sort()).toEqual(['good-before', runId].sort());
    } finally {
      await engine.dispose();
    }
  });

  it('the CLI writes the record to a fallback folder and says where', async () => {
    if (!mounted) {
      console.log('run-save-disk-full: the CLI case needs a really full disk (tmpfs); skipped here');
      return;
    }
    const dataDir = path.join(root, 'cli-data');
    await fs.mkdir(path.join(dataDir, 'runs'), { recursive: true });
    const fallbackDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-fallback-'));
    const specFile = path.join(fallbackDir, 'spec.json');
    await fs.writeFile(specFile, JSON.stringify({ ...spinSpec(1, 30), timeLimitSec: 30 }));
    const filler = await fillDisk(dataDir, 2 * 1024);
    try {
      const result = await tunebench(['run', specFile], { TUNEBENCH_DATA_DIR: dataDir, TUNEBENCH_FALLBACK_DIR: fallbackDir });
      expect(result.code, result.stderr).toBe(1);
      const written = /written to (\S+)/.exec(result.stdout)?.[1];
      expect(written, result.stdout).toBeDefined();
      const saved = JSON.parse(await fs.readFile(written!, 'utf8'));
      expect(saved.status).toBe('completed');
    } finally {
      await fs.rm(filler);
      await fs.rm(fallbackDir, { recursive: true, force: true });
    }
  });
});
