// CPU time for the benches (issue #11, part 7): on a shared 2-core machine the
// throughput of a run swings with what else runs, but the CPU time a process
// or thread spends per operation holds much steadier, so every bench reports
// it next to throughput. Linux /proc; helpers return undefined where it is
// missing, and the benches say so.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (sysconf CLK_TCK, normally 100). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The fields of a stat line after the command name: index 0 is field 3 (state), 11 utime, 12 stime, 13 cutime, 14 cstime. */
function statFields(text) {
  return text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const ticksToMs = (ticks) => (ticks * 1000) / CLOCK_TICKS;

/** CPU time of a whole process (every thread, ended ones included), ms: utime + stime of /proc/<pid>/stat. */
export function processCpuMs(pid) {
  const text = readText(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  const fields = statFields(text);
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/** CPU time of the children a process has waited for (cutime + cstime), ms, from the text of its stat line. */
export function waitedChildrenCpuMs(statLine) {
  const fields = statFields(statLine);
  return ticksToMs(Number(fields[13]) + Number(fields[14]));
}

/**
 * CPU time of one thread, ms: the scheduler's nanosecond runtime
 * (/proc/<pid>/task/<tid>/schedstat), else utime + stime of its stat in clock
 * ticks. A process's main thread has tid = pid.
 */
export function threadCpuMs(pid = process.pid, tid = pid) {
  const schedstat = readText(`/proc/${pid}/task/${tid}/schedstat`);
  if (schedstat !== undefined) {
    const ns = Number(schedstat.split(' ')[0]);
    if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
  }
  const stat = readText(`/proc/${pid}/task/${tid}/stat`);
  if (stat === undefined) return undefined;
  const fields = statFields(stat);
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/** This process's CPU time (all threads), ms, from process.cpuUsage (getrusage: microseconds, any OS). */
export function ownProcessCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of per-round ratios a[i] / b[i] (rounds where either is missing are left out). */
export function medianRatio(a, b) {
  return median(a.map((value, round) => value / b[round]));
}

/** "HIT" / "MISS" against a target, or "n/a" when the figure could not be measured. */
export function verdict(value, { atMost, atLeast }) {
  if (!Number.isFinite(value)) return 'n/a';
  if (atMost !== undefined) return value <= atMost ? 'HIT' : 'MISS';
  return value >= atLeast ? 'HIT' : 'MISS';
}

export const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
