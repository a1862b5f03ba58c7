import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * What the engine may learn about a process by its pid, without trusting the
 * pid alone: pids are reused, so callers pair a pid with its start time or
 * its command line before they signal it.
 */

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isProcessRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  const stat = procStat(pid);
  // Without /proc (a restricted mount) the signal's answer stands.
  return stat ? stat[0] !== 'Z' && stat[0] !== 'X' : true;
}

/**
 * When the process started, as an opaque string: clock ticks since boot on
 * Linux, `ps`'s start time elsewhere; undefined when it cannot be read.
 * Two readings are equal only for the same process.
 */
export function processStartTime(pid: number): string | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') return procStat(pid)?.[19];
  if (process.platform === 'win32') return undefined;
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The process's arguments joined by spaces, or undefined when it cannot be read. */
export function processCommandLine(pid: number): string | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 2_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}
