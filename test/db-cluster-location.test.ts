import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canEnter,
  enterBit,
  fallbackName,
  firstBlocker,
  isValidPointer,
  locateCluster,
  POINTER_FILE,
  reclaimAbandoned,
} from '../src/main/engine/postgres/cluster-location.js';

const postgres = { uid: 101, gid: 104 };

describe('whether the "postgres" system user can pass through a folder', () => {
  it.each([
    // mode, owner uid, group gid, expected
    [0o700, 0, 0, false], // /root
    [0o755, 0, 0, true],
    [0o711, 0, 0, true],
    [0o710, 0, 104, true], // its group may pass
    [0o701, 0, 104, false], // the group class applies to its group, not "others"
    [0o070, 101, 104, false], // the owner class applies to its owner
    [0o100, 101, 104, true],
    [0o750, 0, 5, false],
  ])('mode %o owned by %i:%i → %s', (mode, uid, gid, expected) => {
    expect(canEnter({ mode: 0o040000 | mode, uid, gid }, postgres)).toBe(expected);
  });

  it('root passes everywhere; the first closed folder on the way is named', () => {
    expect(canEnter({ mode: 0o700, uid: 5, gid: 5 }, { uid: 0, gid: 0 })).toBe(true);
    const chain = [
      { path: '/', mode: 0o755, uid: 0, gid: 0 },
      { path: '/root', mode: 0o700, uid: 0, gid: 0 },
      { path: '/root/.tunebench', mode: 0o700, uid: 0, gid: 0 },
    ];
    expect(firstBlocker(chain, postgres)).toBe('/root');
    expect(firstBlocker(chain.slice(0, 1), postgres)).toBeUndefined();
  });

  it('adds only the execute bit of the class the user falls in', () => {
    expect(enterBit({ mode: 0o700, uid: 0, gid: 0 }, postgres)).toBe(0o001);
    expect(enterBit({ mode: 0o700, uid: 0, gid: 104 }, postgres)).toBe(0o010);
    expect(enterBit({ mode: 0o600, uid: 101, gid: 0 }, postgres)).toBe(0o100);
  });
});

describe('the pointer to a cluster kept elsewhere', () => {
  const roots = ['/var/lib/tunebench', '/tmp/tunebench-postgres'];
  it.each([
    ['/var/lib/tunebench/0123456789abcdef', true],
    ['/tmp/tunebench-postgres/0123456789abcdef', true],
    ['/var/lib/tunebench/0123456789abcdef/..', false],
    ['/var/lib/tunebench/../../etc', false],
    ['/etc/0123456789abcdef', false],
    ['var/lib/tunebench/0123456789abcdef', false],
    ['/var/lib/tunebench/not-a-hash', false],
    ['/var/lib/tunebench/sub/0123456789abcdef', false],
  ])('%s → %s', (target, expected) => {
    expect(isValidPointer(target, roots)).toBe(expected);
  });

  it('names one folder per data directory', () => {
    expect(fallbackName('/root/.tunebench/postgres')).toMatch(/^[0-9a-f]{16}$/);
    expect(fallbackName('/root/.tunebench/postgres')).toBe(fallbackName('/root/.tunebench/postgres'));
    expect(fallbackName('/root/.tunebench/postgres')).not.toBe(fallbackName('/root/other/postgres'));
  });
});

const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('db-cluster-location: the folder tests need root (they chown to another user); skipped');

describe.skipIf(!asRoot)('where the cluster goes under root (real folders)', () => {
  it('inside the data directory when the way is open: only Tunebench\'s own folders get an execute bit', async () => {
    const open = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-location-open-'));
    try {
      await fs.chmod(open, 0o700);
      const location = await locateCluster({ baseDir: path.join(open, 'postgres'), serverUser: postgres, fallbackRoots: [] });
      expect(location).toEqual({ clusterDir: path.join(open, 'postgres', 'data') });
      expect((await fs.stat(open)).mode & 0o777).toBe(0o701);
    } finally {
      await fs.rm(open, { recursive: true, force: true });
    }
  });

  it('in a folder Tunebench owns, with a pointer, when a folder above the data directory is closed; the user\'s folder keeps its mode', async () => {
    const outer = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-location-closed-'));
    const fallback = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-location-fallback-'));
    try {
      await fs.chmod(outer, 0o700);
      await fs.chmod(fallback, 0o755);
      const root = path.join(fallback, 'clusters');
      const baseDir = path.join(outer, 'data', 'postgres');
      const first = await locateCluster({ baseDir, serverUser: postgres, fallbackRoots: [root] });
      expect(path.dirname(first.clusterDir)).toBe(root);
      expect(first.note).toBe(`kept in ${first.clusterDir}: the "postgres" system user cannot enter ${outer}`);
      expect((await fs.stat(outer)).mode & 0o777).toBe(0o700);
      const cluster = await fs.stat(first.clusterDir);
      expect([cluster.uid, cluster.gid, cluster.mode & 0o777]).toEqual([postgres.uid, postgres.gid, 0o700]);
      expect((await fs.stat(root)).mode & 0o777).toBe(0o755);
      expect((await fs.readFile(path.join(baseDir, POINTER_FILE), 'utf8')).trim()).toBe(first.clusterDir);
      // Next time the pointer finds the same cluster.
      expect(await locateCluster({ baseDir, serverUser: postgres, fallbackRoots: [root] })).toEqual(first);
    } finally {
      await fs.rm(outer, { recursive: true, force: true });
      await fs.rm(fallback, { recursive: true, force: true });
    }
  });

  it('reclaims a cluster kept elsewhere once its data directory is gone, never one still pointed at', async () => {
    const outer = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-location-reclaim-'));
    const fallback = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-location-fallback-'));
    try {
      await fs.chmod(outer, 0o700);
      await fs.chmod(fallback, 0o755);
      const root = path.join(fallback, 'clusters');
      const gone = await locateCluster({ baseDir: path.join(outer, 'gone', 'postgres'), serverUser: postgres, fallbackRoots: [root] });
      const kept = await locateCluster({ baseDir: path.join(outer, 'kept', 'postgres'), serverUser: postgres, fallbackRoots: [root] });
      const unknown = path.join(root, '0123456789abcdef');
      await fs.mkdir(unknown);
      await fs.rm(path.join(outer, 'gone'), { recursive: true });

      expect(await reclaimAbandoned(root)).toEqual([gone.clusterDir]);
      expect(await fs.readdir(root)).toEqual(expect.arrayContaining([path.basename(kept.clusterDir), '0123456789abcdef']));
      await expect(fs.access(gone.clusterDir)).rejects.toThrow();
      // The next start of any data directory reclaims too.
      await fs.rm(path.join(outer, 'kept'), { recursive: true });
      await locateCluster({ baseDir: path.join(outer, 'third', 'postgres'), serverUser: postgres, fallbackRoots: [root] });
      await expect(fs.access(kept.clusterDir)).rejects.toThrow();
      await expect(fs.access(unknown)).resolves.toBeUndefined();
    } finally {
      await fs.rm(outer, { recursive: true, force: true });
      await fs.rm(fallback, { recursive: true, force: true });
    }
  });

  it('says what to do when no folder can hold the cluster', async () => {
    const outer = await fs.mkdtemp(path.join(os.tmpdir(), 'tunebench-location-none-'));
    try {
      await fs.chmod(outer, 0o700);
      // A fallback root under the same closed folder is no better.
      const attempt = locateCluster({ baseDir: path.join(outer, 'data', 'postgres'), serverUser: postgres, fallbackRoots: [path.join(outer, 'elsewhere')] });
      await expect(attempt).rejects.toThrow(/cannot enter .*no folder Tunebench owns could hold the cluster .*set TUNEBENCH_DATA_DIR/);
    } finally {
      await fs.rm(outer, { recursive: true, force: true });
    }
  });
});
