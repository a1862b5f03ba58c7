/**
 * Reading Linux's /proc for the noise sampler: pure parsers of the files'
 * text and the arithmetic between two readings. All CPU times are in clock
 * ticks (USER_HZ), the unit /proc/stat and /proc/<pid>/stat share, so no
 * tick rate is needed: wall time is the machine's total ticks over its CPUs.
 */
import type { NoiseInterval } from '../../../shared/noise-verdict.js';

/** The machine's CPU time from the first line of /proc/stat. */
export interface CpuTimes {
  /** user + nice + system + irq + softirq + steal (guest time is already inside user and nice). */
  busy: number;
  steal: number;
  /** busy + idle + iowait. */
  total: number;
  /** CPUs counted by their cpuN lines. */
  cpus: number;
}

/** One process from /proc/<pid>/stat. */
export interface ProcessTimes {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime: its own CPU time and that of the children it has reaped. */
  ticks: number;
}

/** What one look at /proc says: the machine, the run's process tree, load and pressure. */
export interface NoiseReading {
  /** Milliseconds on the run's time axis when it was taken. */
  t: number;
  cpu: CpuTimes;
  /** The run's processes (the workbench and every descendant) by pid. */
  tree: ReadonlyMap<number, ProcessTimes>;
  loadAverage: number | null;
  /** Linux PSI "some avg10" as 0..1. */
  cpuPressure: number | null;
}

export function parseProcStat(text: string): CpuTimes | undefined {
  const lines = text.split('\n');
  const first = lines.find((line) => /^cpu\s/.test(line));
  if (!first) return undefined;
  const fields = first.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((value) => !Number.isFinite(value))) return undefined;
  // user nice system idle iowait irq softirq steal guest guest_nice; older kernels stop earlier.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  const cpus = lines.filter((line) => /^cpu\d+\s/.test(line)).length;
  return { busy, steal, total: busy + idle + iowait, cpus: Math.max(1, cpus) };
}

/**
 * One /proc/<pid>/stat line. The command name sits in parentheses and may
 * itself hold spaces and parentheses, so the fields are counted from the last ')'.
 */
export function parseProcPidStat(text: string): ProcessTimes | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const ppid = Number(fields[1]);
  const times = fields.slice(11, 15).map(Number);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || times.length < 4 || times.some((value) => !Number.isFinite(value))) {
    return undefined;
  }
  return { pid, ppid, ticks: times.reduce((sum, value) => sum + value, 0) };
}

/** The 1-minute load average from /proc/loadavg ("0.45 0.93 1.15 2/165 10243"). */
export function parseLoadAverage(text: string): number | null {
  const value = Number(text.trim().split(/\s+/)[0]);
  return text.trim() && Number.isFinite(value) ? value : null;
}

/** "some avg10=4.60 ..." from /proc/pressure/cpu, as 0..1. */
export function parseCpuPressure(text: string): number | null {
  const match = /^some\b.*?\bavg10=([\d.]+)/m.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value / 100 : null;
}

/** Pids in a /proc/<pid>/task/<tid>/children file ("1234 5678 "). */
export function parsePidList(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** The root and everything below it, from every process's parent. */
export function descendantsOf(root: number, processes: Iterable<Pick<ProcessTimes, 'pid' | 'ppid'>>): Set<number> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of processes) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = new Set<number>([root]);
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * CPU ticks the run's tree used between two readings. Every process counts
 * its own time and what its reaped children used (cutime), so a child that
 * ends is still counted, in its parent. A process that appeared counts whole
 * (it started in the interval); one that ended counts what its parent reaped
 * minus what was already counted at the previous reading. One whose parent
 * ended too (orphaned by a kill) is lost for its last interval: never more.
 */
export function treeTicksBetween(before: ReadonlyMap<number, ProcessTimes>, after: ReadonlyMap<number, ProcessTimes>): number {
  let ticks = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid);
    // A pid seen before with more ticks than now was reused by a new process.
    ticks += then && now.ticks >= then.ticks ? now.ticks - then.ticks : now.ticks;
  }
  for (const [pid, then] of before) {
    if (!after.has(pid) && after.has(then.ppid)) ticks -= then.ticks;
  }
  return Math.max(0, ticks);
}

/**
 * What happened between two readings. othersCores = (Δ machine busy − Δ run
 * tree) / Δ wall, floored at 0 and capped at the machine's CPUs; wall time
 * in ticks is the machine's total ticks over its CPUs.
 */
export function intervalBetween(before: NoiseReading, after: NoiseReading): NoiseInterval {
  const cpus = after.cpu.cpus;
  const totalTicks = after.cpu.total - before.cpu.total;
  const wallTicks = totalTicks / cpus;
  const durationMs = Math.max(0, after.t - before.t);
  if (!(wallTicks > 0)) {
    return { durationMs, othersCores: null, stealRatio: null, loadAverage: after.loadAverage, cpuPressure: after.cpuPressure };
  }
  const busyTicks = Math.max(0, after.cpu.busy - before.cpu.busy);
  const treeTicks = treeTicksBetween(before.tree, after.tree);
  const othersCores = Math.min(cpus, Math.max(0, (busyTicks - treeTicks) / wallTicks));
  const stealRatio = Math.min(1, Math.max(0, (after.cpu.steal - before.cpu.steal) / totalTicks));
  return { durationMs, othersCores, stealRatio, loadAverage: after.loadAverage, cpuPressure: after.cpuPressure };
}
