import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { ChildRegistry } from '../processes/child-registry.js';
import { describeExit, type ChildExit, type ManagedChild } from '../processes/managed-child.js';
import { isProcessRunning, processCommandLine, processStartTime } from '../processes/process-info.js';
import type { SystemUser } from './cluster-location.js';

/**
 * The embedded PostgreSQL server process and the watchdog that owns it.
 *
 * The engine starts a small POSIX shell script (registered with the child
 * registry, in its own process group) that starts the postmaster and then
 * waits on its IPC channel to the workbench. When the workbench asks it to
 * stop, or when the channel closes because the workbench is gone (even after
 * `kill -9`), it asks PostgreSQL for a fast shutdown (SIGINT), then an
 * immediate one (SIGQUIT) after 3 s, then SIGKILL after 4.5 s: nothing
 * outlives the workbench by more than 5 s. When the postmaster ends on its own
 * (a crash, a `kill -9`), the script ends too, so the engine learns at once.
 * Under root the script and the server run as the "postgres" system user.
 */

const WATCHDOG_SCRIPT = `bin=$1; dir=$2; shift 2
"$bin" -D "$dir" "$@" </dev/null 3>&- &
pm=$!
printf '{"type":"started","pid":%d}\\n' "$pm" >&3
(
  while IFS= read -r line <&3; do
    case $line in *'"stop"'*) break ;; esac
  done
  kill -INT "$pm" 2>/dev/null
  n=0
  while kill -0 "$pm" 2>/dev/null; do
    n=$((n + 1))
    if [ "$n" -eq 30 ]; then kill -QUIT "$pm" 2>/dev/null; fi
    if [ "$n" -eq 45 ]; then kill -KILL "$pm" 2>/dev/null; fi
    sleep 0.1
  done
) >/dev/null 2>&1 &
reader=$!
wait "$pm"
code=$?
kill "$reader" 2>/dev/null
exit $code
`;

const WatchdogMessage = z.object({ type: z.literal('started'), pid: z.number().int().positive() });
type WatchdogMessage = z.infer<typeof WatchdogMessage>;
type StopCommand = { type: 'stop' };

/** How long a stop may take before the whole group is killed (the script itself escalates after 3 and 4.5 s). */
const STOP_GRACE_MS = 8_000;
const READY_POLL_MS = 100;

export interface PostmasterOptions {
  registry: ChildRegistry;
  postgresBinary: string;
  clusterDir: string;
  port: number;
  flags: string[];
  /** The system user to run as (Tunebench under root); undefined runs as the current user. */
  user?: SystemUser;
  onLog: (line: string) => void;
  /** Called when the server ends without being asked to. */
  onUnexpectedExit: (detail: string) => void;
}

/** One running postmaster under its watchdog. */
export class Postmaster {
  private stopping = false;

  private constructor(
    private readonly child: ManagedChild<WatchdogMessage, StopCommand>,
    readonly pid: number,
  ) {}

  /** Starts the server and resolves once PostgreSQL accepts connections (its postmaster.pid says "ready"). */
  static async start(options: PostmasterOptions, signal: AbortSignal): Promise<Postmaster> {
    const child = options.registry.spawn<WatchdogMessage, StopCommand>({
      name: 'embedded PostgreSQL',
      command: '/bin/sh',
      args: ['-c', WATCHDOG_SCRIPT, 'tunebench-postgres-watchdog', options.postgresBinary, options.clusterDir, '-p', String(options.port), ...options.flags],
      // Server messages in English whatever the user's locale: they are matched and shown as they are.
      env: { LC_MESSAGES: 'C' },
      inbound: WatchdogMessage,
      isReady: (message) => message.type === 'started',
      readyTimeoutMs: 10_000,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    child.onOutput(({ line }) => options.onLog(line));
    let postmaster: Postmaster | undefined;
    void child.closed.then((exit) => {
      if (postmaster && !postmaster.stopping) options.onUnexpectedExit(describeServerExit(exit));
    });
    try {
      const { pid } = await child.ready;
      await waitUntilReady(options.clusterDir, pid, child, signal);
      postmaster = new Postmaster(child, pid);
      return postmaster;
    } catch (error) {
      await child.stop(STOP_GRACE_MS, { type: 'stop' });
      throw error;
    }
  }

  get running(): boolean {
    return this.child.exit === undefined;
  }

  get closed(): Promise<ChildExit> {
    return this.child.closed;
  }

  /** Fast shutdown; resolves when the server and its watchdog have gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.child.stop(STOP_GRACE_MS, { type: 'stop' });
  }
}

/** The watchdog exits with the postmaster's status: 128 + n means signal n. */
export function describeServerExit(exit: ChildExit): string {
  if (exit.code !== null && exit.code > 128 && exit.code < 160) {
    const name = Object.entries(os.constants.signals).find(([, number]) => number === exit.code! - 128)?.[0];
    return `the postmaster was killed by ${name ?? `signal ${exit.code - 128}`}`;
  }
  return exit.code !== null ? `the postmaster exited with code ${exit.code}` : describeExit(exit);
}

async function waitUntilReady(clusterDir: string, pid: number, child: ManagedChild<WatchdogMessage, StopCommand>, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the start was cancelled');
    if (child.exit) throw new Error(`the postgres process ended during start-up (${describeExit(child.exit)})`);
    const pidFile = parsePidFile(await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => ''));
    if (pidFile?.pid === pid && pidFile.status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

// ── postmaster.pid and leftovers ───────────────────────────────────────────

/** What postmaster.pid says: line 1 pid, 2 data directory, 4 port, 8 status ("starting", "ready", "stopping"). */
export interface PidFile {
  pid: number;
  dataDir?: string;
  port?: number;
  status?: string;
}

export function parsePidFile(text: string): PidFile | undefined {
  const lines = text.split('\n');
  const pid = Number(lines[0]?.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const port = Number(lines[3]?.trim());
  const status = lines[7]?.trim();
  return {
    pid,
    ...(lines[1]?.trim() ? { dataDir: lines[1].trim() } : {}),
    ...(Number.isInteger(port) && port > 0 ? { port } : {}),
    ...(status ? { status } : {}),
  };
}

/** Who started the server: written next to the credential once it runs, removed when it stops. */
export interface OwnerRecord {
  pid: number;
  /** The owner's start time (process-info), so a reused pid is not taken for it. */
  startTime?: string;
}

export const OWNER_FILE = 'postmaster.owner';

export type LeftoverVerdict =
  /** No postmaster.pid: nothing to do. */
  | { kind: 'none' }
  /** postmaster.pid names a process that is gone: PostgreSQL removes the file itself when it starts. */
  | { kind: 'stale' }
  /** postmaster.pid names a live process that is not this cluster's server (a reused pid): the file must go, or PostgreSQL refuses to start. */
  | { kind: 'reused'; pid: number }
  /** A live server for this cluster whose Tunebench is still running: never touched. */
  | { kind: 'in-use'; pid: number; ownerPid: number }
  /** A live server for this cluster left by a Tunebench that is gone: stopped cleanly. */
  | { kind: 'leftover'; pid: number };

export interface LeftoverFacts {
  pidFile: PidFile | undefined;
  clusterDir: string;
  /** Whether the pid in postmaster.pid runs, and its command line (undefined when unreadable). */
  running: boolean;
  commandLine: string | undefined;
  owner: OwnerRecord | undefined;
  /** Whether the owner still runs (same pid and start time). */
  ownerRunning: boolean;
}

/** Pure: what to do about a postmaster.pid found before starting. */
export function judgeLeftover(facts: LeftoverFacts): LeftoverVerdict {
  const { pidFile } = facts;
  if (!pidFile) return { kind: 'none' };
  if (!facts.running) return { kind: 'stale' };
  // The server is started with "-D <cluster>": a process whose command line does not name it is someone else.
  if (facts.commandLine !== undefined && !facts.commandLine.includes(facts.clusterDir)) return { kind: 'reused', pid: pidFile.pid };
  if (facts.owner && facts.ownerRunning) return { kind: 'in-use', pid: pidFile.pid, ownerPid: facts.owner.pid };
  return { kind: 'leftover', pid: pidFile.pid };
}

export async function readOwner(baseDir: string): Promise<OwnerRecord | undefined> {
  try {
    const parsed = z
      .object({ pid: z.number().int().positive(), startTime: z.string().max(100).optional() })
      .safeParse(JSON.parse(await fs.readFile(path.join(baseDir, OWNER_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeOwner(baseDir: string): Promise<void> {
  const startTime = processStartTime(process.pid);
  const record: OwnerRecord = { pid: process.pid, ...(startTime ? { startTime } : {}) };
  await fs.writeFile(path.join(baseDir, OWNER_FILE), JSON.stringify(record), { mode: 0o600 });
}

export async function removeOwner(baseDir: string): Promise<void> {
  await fs.rm(path.join(baseDir, OWNER_FILE), { force: true });
}

function ownerRunning(owner: OwnerRecord | undefined): boolean {
  if (!owner || !isProcessRunning(owner.pid)) return false;
  return owner.startTime === undefined || processStartTime(owner.pid) === owner.startTime;
}

/**
 * Before a start: a server left running by a Tunebench that was killed is
 * stopped cleanly (fast, then immediate shutdown); a stale postmaster.pid is
 * left to PostgreSQL, or removed when its pid now belongs to another process;
 * a server whose Tunebench still runs is refused with who holds it.
 */
export async function clearLeftover(baseDir: string, clusterDir: string, log: (message: string) => void): Promise<void> {
  const pidPath = path.join(clusterDir, 'postmaster.pid');
  const pidFile = parsePidFile(await fs.readFile(pidPath, 'utf8').catch(() => ''));
  const owner = await readOwner(baseDir);
  const verdict = judgeLeftover({
    pidFile,
    clusterDir,
    running: pidFile ? isProcessRunning(pidFile.pid) : false,
    commandLine: pidFile ? processCommandLine(pidFile.pid) : undefined,
    owner,
    ownerRunning: ownerRunning(owner),
  });
  switch (verdict.kind) {
    case 'none':
    case 'stale':
      return;
    case 'reused':
      log(`removing a stale postmaster.pid: its pid ${verdict.pid} now belongs to another process`);
      await fs.rm(pidPath, { force: true });
      return;
    case 'in-use':
      throw new Error(
        `the cluster in ${clusterDir} is in use by another Tunebench process (pid ${verdict.ownerPid}, server pid ${verdict.pid}); ` +
          'quit that one, or give this one its own data directory (TUNEBENCH_DATA_DIR, or the CLI\'s --out)',
      );
    case 'leftover':
      log(`stopping a PostgreSQL server (pid ${verdict.pid}) left running by a Tunebench that ended without stopping it`);
      await stopProcess(verdict.pid);
      await removeOwner(baseDir);
  }
}

/** SIGINT (fast shutdown), SIGQUIT after 5 s, SIGKILL after 7 s; resolves when the process has gone. */
export async function stopProcess(pid: number): Promise<void> {
  const steps: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 5_000],
    ['SIGQUIT', 2_000],
    ['SIGKILL', 2_000],
  ];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw new Error(`could not stop the PostgreSQL server left running (pid ${pid}): ${(error as Error).message}`, { cause: error });
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if (!isProcessRunning(pid)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (isProcessRunning(pid)) throw new Error(`the PostgreSQL server left running (pid ${pid}) did not stop`);
}

const execFileAsync = promisify(execFile);

/** The uid and gid of a system user, or undefined when there is no such user. */
export async function systemUser(name: string): Promise<SystemUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name], { timeout: 5_000 }),
      execFileAsync('id', ['-g', name], { timeout: 5_000 }),
    ]);
    const user = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    return Number.isInteger(user.uid) && Number.isInteger(user.gid) ? user : undefined;
  } catch {
    return undefined;
  }
}
