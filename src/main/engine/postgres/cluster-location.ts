import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isProcessRunning } from '../processes/process-info.js';
import { parsePidFile } from './postmaster.js';

/**
 * Where the embedded PostgreSQL cluster lives. Normally in
 * <dataDir>/postgres/data. PostgreSQL refuses to run as root, so under root it
 * runs as the "postgres" system user, which must pass through every folder
 * above its cluster; when one of them is closed to it (the default data
 * directory ~/.tunebench under a /root of mode 700), the cluster is kept in a
 * folder Tunebench owns instead (/var/lib/tunebench/<hash>), and a pointer
 * file in <dataDir>/postgres finds it again next time. Tunebench changes the
 * mode of its own folders only, never the user's home or anything above.
 */

/** Owner, group and mode of one folder on the way to the cluster. */
export interface FolderFacts {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

/** The user the server runs as. Node drops supplementary groups when it switches user, so only the primary group counts. */
export interface SystemUser {
  uid: number;
  gid: number;
}

export interface ClusterLocation {
  clusterDir: string;
  /** Set when the cluster is kept outside the data directory: where and why. */
  note?: string;
}

export interface LocateOptions {
  /** Tunebench's own folder for the server (<dataDir>/postgres): the credential and the pointer file live here. */
  baseDir: string;
  /**
   * The system user the server runs as when Tunebench runs as root (a user
   * not created yet is { uid: -1, gid: -1 }); undefined when the server runs
   * as the current user, who can reach the data directory anyway.
   */
  serverUser?: SystemUser;
  /** Folders Tunebench may create and own to keep a cluster in; default /var/lib/tunebench, then <tmp>/tunebench-postgres. */
  fallbackRoots?: string[];
}

/** The file in <dataDir>/postgres naming a cluster kept elsewhere. */
export const POINTER_FILE = 'cluster-location';
/** Beside a cluster kept elsewhere, <hash>.from names the folder whose pointer should name it back. */
const SOURCE_SUFFIX = '.from';

export function defaultFallbackRoots(): string[] {
  return ['/var/lib/tunebench', path.join(os.tmpdir(), 'tunebench-postgres')];
}

/** Whether `user` may pass through a folder (ACLs aside): the owner's, group's or others' execute bit, whichever class applies. */
export function canEnter(folder: Omit<FolderFacts, 'path'>, user: SystemUser): boolean {
  if (user.uid === 0) return true;
  if (folder.uid === user.uid) return (folder.mode & 0o100) !== 0;
  if (folder.gid === user.gid) return (folder.mode & 0o010) !== 0;
  return (folder.mode & 0o001) !== 0;
}

/** The first folder of a chain (root first) that `user` cannot pass through, if any. */
export function firstBlocker(chain: readonly FolderFacts[], user: SystemUser): string | undefined {
  return chain.find((folder) => !canEnter(folder, user))?.path;
}

/** The execute bit that lets `user` pass through a folder it cannot enter yet. */
export function enterBit(folder: Omit<FolderFacts, 'path'>, user: SystemUser): number {
  if (folder.uid === user.uid) return 0o100;
  if (folder.gid === user.gid) return 0o010;
  return 0o001;
}

/** The name of the cluster folder kept outside the data directory: stable for one data directory. */
export function fallbackName(realBaseDir: string): string {
  return createHash('sha256').update(realBaseDir).digest('hex').slice(0, 16);
}

/** A pointer names a cluster folder directly inside one of the fallback roots, by its hash name; anything else is ignored. */
export function isValidPointer(target: string, fallbackRoots: readonly string[]): boolean {
  return (
    path.isAbsolute(target) &&
    path.normalize(target) === target &&
    /^[0-9a-f]{16}$/.test(path.basename(target)) &&
    fallbackRoots.some((root) => path.dirname(target) === path.resolve(root))
  );
}

export function describeLocation(clusterDir: string, blocker: string | undefined): string {
  return blocker
    ? `kept in ${clusterDir}: the "postgres" system user cannot enter ${blocker}`
    : `kept in ${clusterDir} (chosen at an earlier start)`;
}

/** Reads the pointer file without waiting (the Database page asks where the cluster is before it ever started). */
export function readPointerSync(baseDir: string, fallbackRoots = defaultFallbackRoots()): string | undefined {
  try {
    const target = readFileSync(path.join(baseDir, POINTER_FILE), 'utf8').trim();
    return isValidPointer(target, fallbackRoots) ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Facts of a folder and every folder above it, root first. */
export async function folderChain(dir: string): Promise<FolderFacts[]> {
  const chain: FolderFacts[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode, uid, gid } = await fs.stat(current);
    chain.unshift({ path: current, mode, uid, gid });
    if (path.dirname(current) === current) return chain;
  }
}

/**
 * The folder that keeps `user` from <dataDir>/postgres, looking at the folders
 * above the data directory and at the data directory itself unless Tunebench
 * may open it (it is not the home folder and belongs to the current user).
 */
export async function blockerOf(baseDir: string, user: SystemUser): Promise<string | undefined> {
  const dataDir = path.dirname(baseDir);
  const chain = await folderChain(dataDir);
  const above = firstBlocker(chain.slice(0, -1), user);
  if (above) return above;
  const own = chain.at(-1)!;
  if (canEnter(own, user) || mayOpen(own)) return undefined;
  return own.path;
}

function mayOpen(folder: FolderFacts): boolean {
  const home = path.resolve(os.homedir());
  return folder.path !== home && path.dirname(folder.path) !== folder.path && folder.uid === process.getuid?.();
}

/** Decides (and prepares) where the cluster lives; see the module comment. */
export async function locateCluster(options: LocateOptions): Promise<ClusterLocation> {
  const roots = options.fallbackRoots ?? defaultFallbackRoots();
  await fs.mkdir(options.baseDir, { recursive: true, mode: 0o700 });
  const baseDir = await fs.realpath(options.baseDir);
  const inside = path.join(baseDir, 'data');
  const user = options.serverUser;
  if (!user) return { clusterDir: inside };
  const blocker = await blockerOf(baseDir, user);
  const pointed = readPointerSync(baseDir, roots);
  if (pointed) {
    await prepareFallback(path.dirname(pointed), pointed, user);
    await claim(baseDir, pointed);
    return { clusterDir: pointed, note: describeLocation(pointed, blocker) };
  }
  if (!blocker) {
    // Only Tunebench's own folders get an execute bit: the data directory and its postgres folder.
    for (const dir of [path.dirname(baseDir), baseDir]) {
      const facts = await fs.stat(dir);
      if (!canEnter(facts, user)) await fs.chmod(dir, (facts.mode & 0o7777) | enterBit(facts, user));
    }
    return { clusterDir: inside };
  }
  const problems: string[] = [];
  for (const root of roots) {
    const clusterDir = path.join(path.resolve(root), fallbackName(baseDir));
    try {
      await prepareFallback(path.resolve(root), clusterDir, user);
      await fs.writeFile(path.join(baseDir, POINTER_FILE), `${clusterDir}\n`, { mode: 0o600 });
      await claim(baseDir, clusterDir);
      return { clusterDir, note: describeLocation(clusterDir, blocker) };
    } catch (error) {
      problems.push(`${root}: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `the "postgres" system user cannot enter ${blocker} (Tunebench runs as root; PostgreSQL may not), and no folder Tunebench owns could hold the cluster instead (${problems.join('; ')}); ` +
      'set TUNEBENCH_DATA_DIR (or the CLI\'s --out) to a folder every user may pass through, such as /var/lib/tunebench-data, or run Tunebench as a regular user',
  );
}

/**
 * Makes <root>/<hash> ready for the server: the root is Tunebench's (made here,
 * owned by the current user, writable by nobody else) and reachable by the
 * server's user; the cluster folder is the server user's, mode 700.
 */
async function prepareFallback(root: string, clusterDir: string, user: SystemUser): Promise<void> {
  const created = await fs.mkdir(root, { recursive: true, mode: 0o755 });
  if (created !== undefined) await fs.chmod(root, 0o755);
  const rootFacts = await fs.lstat(root);
  if (!rootFacts.isDirectory()) throw new Error('not a folder');
  if (rootFacts.uid !== process.getuid?.()) throw new Error(`owned by uid ${rootFacts.uid}, not by Tunebench's user`);
  if (rootFacts.mode & 0o022) throw new Error('writable by other users');
  const blocker = firstBlocker(await folderChain(root), user);
  if (blocker) throw new Error(`the "postgres" system user cannot enter ${blocker} either`);
  try {
    await fs.mkdir(clusterDir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const facts = await fs.lstat(clusterDir);
  if (!facts.isDirectory()) throw new Error(`${clusterDir} is not a folder`);
  if (user.uid >= 0 && facts.uid !== user.uid) {
    if (facts.uid !== process.getuid?.()) throw new Error(`${clusterDir} belongs to uid ${facts.uid}`);
    await fs.chown(clusterDir, user.uid, user.gid);
  }
  await fs.chmod(clusterDir, 0o700);
}

/** Records which data directory a cluster kept elsewhere belongs to, and reclaims the clusters of data directories that are gone. */
async function claim(baseDir: string, clusterDir: string): Promise<void> {
  await fs.writeFile(`${clusterDir}${SOURCE_SUFFIX}`, `${baseDir}\n`, { mode: 0o644 });
  await reclaimAbandoned(path.dirname(clusterDir)).catch(() => {});
}

/**
 * Removes clusters kept in a fallback root whose data directory no longer
 * points at them (it was deleted, or moved its cluster) and whose server is
 * not running. A cluster only holds Tunebench's scratch tables: one removed
 * by mistake is rebuilt on the next start. Clusters without a .from file are
 * left alone. Returns the folders removed.
 */
export async function reclaimAbandoned(root: string, fallbackRoots = [root]): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.readdir(root)) {
    if (!/^[0-9a-f]{16}$/.test(name)) continue;
    const clusterDir = path.join(root, name);
    let source: string;
    try {
      source = (await fs.readFile(`${clusterDir}${SOURCE_SUFFIX}`, 'utf8')).trim();
    } catch {
      continue;
    }
    if (readPointerSync(source, fallbackRoots) === clusterDir) continue;
    const pidFile = parsePidFile(await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => ''));
    if (pidFile && isProcessRunning(pidFile.pid)) continue;
    await fs.rm(clusterDir, { recursive: true, force: true });
    await fs.rm(`${clusterDir}${SOURCE_SUFFIX}`, { force: true });
    removed.push(clusterDir);
  }
  return removed;
}
