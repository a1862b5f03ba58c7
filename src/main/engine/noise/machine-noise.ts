/**
 * How quiet the machine was while a run measured: what else used the CPU.
 * Owned by the run manager, one per run of every kind (like the engine's own
 * runtime probe): every second, and at the start and the end, it reads the
 * machine's busy time, the CPU time of the run's own process tree (the
 * workbench process with all its threads, and every process it started:
 * cluster supervisors and their servers, memory sandboxes, the embedded
 * PostgreSQL with its backends), load and pressure, and records
 * noise.othersCores and the rest on the run's time axis. At the end it
 * gives the run's verdict. Elsewhere than Linux: the load average where the
 * OS offers one, and the verdict "unknown".
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { NOISE_SERIES, DEFAULT_BUSY_THRESHOLD_CORES, type NoiseVerdict } from '../../../shared/noise.js';
import { noiseVerdict, type NoiseInterval } from '../../../shared/noise-verdict.js';
import type { Disposable } from '../disposable.js';
import type { RunSink } from '../kinds/kind.js';
import {
  descendantsOf,
  intervalBetween,
  parseCpuPressure,
  parseLoadAverage,
  parsePidList,
  parseProcPidStat,
  parseProcStat,
  type NoiseReading,
  type ProcessTimes,
} from './proc-readings.js';

export const DEFAULT_NOISE_INTERVAL_MS = 1_000;
/** A last interval shorter than this is not recorded: a few ticks of rounding would dominate it. */
const MIN_FINAL_INTERVAL_MS = 20;

export interface MachineNoiseOptions {
  /** Default 1 s. */
  intervalMs?: number;
  /** Others above this many cores on average make the run busy; default DEFAULT_BUSY_THRESHOLD_CORES. */
  thresholdCores?: number;
  /** The root of the run's process tree; default this process. */
  rootPid?: number;
  /** Where /proc is (tests point it at a folder of their own). */
  procRoot?: string;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
}

/** How the run's tree is found: each thread's children file, or (kernels without it) every process's parent. */
type TreeMode = 'children' | 'scan';

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function readProcess(procRoot: string, pid: number): Promise<ProcessTimes | undefined> {
  const text = await readText(`${procRoot}/${pid}/stat`);
  return text === undefined ? undefined : parseProcPidStat(text);
}

/** The children of every thread of a process (a child's parent is the thread that forked it). */
async function childrenOf(procRoot: string, pid: number): Promise<number[] | undefined> {
  let tids: string[];
  try {
    tids = await fs.readdir(`${procRoot}/${pid}/task`);
  } catch {
    return [];
  }
  const lists = await Promise.all(tids.map((tid) => readText(`${procRoot}/${pid}/task/${tid}/children`)));
  if (lists.every((list) => list === undefined) && tids.length > 0) return undefined;
  return lists.flatMap((list) => (list === undefined ? [] : parsePidList(list)));
}

async function treeByChildren(procRoot: string, root: number): Promise<Map<number, ProcessTimes> | undefined> {
  const tree = new Map<number, ProcessTimes>();
  let level = [root];
  while (level.length) {
    const found = await Promise.all(
      level.map(async (pid) => {
        const [times, children] = await Promise.all([readProcess(procRoot, pid), childrenOf(procRoot, pid)]);
        return { pid, times, children };
      }),
    );
    // No children file even for the root: the kernel lacks it (CONFIG_PROC_CHILDREN).
    if (tree.size === 0 && found[0]?.children === undefined) return undefined;
    const next: number[] = [];
    for (const { pid, times, children } of found) {
      if (!times || tree.has(pid)) continue;
      tree.set(pid, times);
      for (const child of children ?? []) if (!tree.has(child)) next.push(child);
    }
    level = next;
  }
  return tree;
}

async function treeByScan(procRoot: string, root: number): Promise<Map<number, ProcessTimes>> {
  const names = await fs.readdir(procRoot).catch(() => [] as string[]);
  const all = (await Promise.all(names.filter((name) => /^\d+$/.test(name)).map((name) => readProcess(procRoot, Number(name))))).filter(
    (times): times is ProcessTimes => times !== undefined,
  );
  const members = descendantsOf(root, all);
  return new Map(all.filter((times) => members.has(times.pid)).map((times) => [times.pid, times]));
}

/** One look at the machine; undefined when /proc/stat cannot be read. */
export async function readNoiseReading(
  procRoot: string,
  rootPid: number,
  t: number,
  mode: { tree: TreeMode } = { tree: 'children' },
): Promise<NoiseReading | undefined> {
  let tree = mode.tree === 'children' ? await treeByChildren(procRoot, rootPid) : undefined;
  if (!tree) {
    mode.tree = 'scan';
    tree = await treeByScan(procRoot, rootPid);
  }
  const [stat, loadavg, pressure] = await Promise.all([
    readText(`${procRoot}/stat`),
    readText(`${procRoot}/loadavg`),
    readText(`${procRoot}/pressure/cpu`),
  ]);
  const cpu = stat === undefined ? undefined : parseProcStat(stat);
  if (!cpu) return undefined;
  return {
    t,
    cpu,
    tree,
    loadAverage: loadavg === undefined ? null : parseLoadAverage(loadavg),
    cpuPressure: pressure === undefined ? null : parseCpuPressure(pressure),
  };
}

/** The machine noise of one run: series on its time axis and, at stop(), its verdict. */
export class MachineNoiseRecorder implements Disposable {
  private readonly intervals: NoiseInterval[] = [];
  private readonly thresholdCores: number;
  private readonly procRoot: string;
  private readonly rootPid: number;
  private readonly linux: boolean;
  private readonly platform: NodeJS.Platform;
  private readonly mode: { tree: TreeMode } = { tree: 'children' };
  private readonly declared = new Set<string>();
  private previous: NoiseReading | undefined;
  /** When the previous interval ended elsewhere than Linux. */
  private previousAt = 0;
  private reading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private finished: Promise<NoiseVerdict> | undefined;

  constructor(
    private readonly sink: RunSink,
    options: MachineNoiseOptions = {},
  ) {
    this.thresholdCores = options.thresholdCores ?? DEFAULT_BUSY_THRESHOLD_CORES;
    this.procRoot = options.procRoot ?? '/proc';
    this.rootPid = options.rootPid ?? process.pid;
    this.platform = options.platform ?? process.platform;
    this.linux = this.platform === 'linux';
    this.previousAt = sink.elapsed();
    // The reading at the start: every interval needs one before it.
    if (this.linux) this.sampleNow();
    this.timer = setInterval(() => this.sampleNow(), options.intervalMs ?? DEFAULT_NOISE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Takes the last reading and gives the run's verdict; later calls give the same. */
  stop(): Promise<NoiseVerdict> {
    this.finished ??= this.finish();
    return this.finished;
  }

  /** Stops sampling; stop() is what also takes the last reading. */
  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async finish(): Promise<NoiseVerdict> {
    this.dispose();
    await this.reading;
    const lastAt = this.linux ? this.previous?.t : this.previousAt;
    if (lastAt === undefined || this.sink.elapsed() - lastAt >= MIN_FINAL_INTERVAL_MS) {
      this.reading = undefined;
      this.sampleNow();
      await this.reading;
    }
    return noiseVerdict(this.intervals, this.thresholdCores);
  }

  /** One reading at a time: a slow /proc skips a tick rather than pile readings up. */
  private sampleNow(): void {
    if (this.reading) return;
    this.reading = this.take()
      .catch((error: unknown) => this.sink.log('warn', `Could not sample the machine's noise: ${(error as Error).message}`))
      .finally(() => {
        this.reading = undefined;
      });
  }

  private async take(): Promise<void> {
    const t = this.sink.elapsed();
    if (!this.linux) {
      this.record(t, this.elsewhere(t));
      return;
    }
    const reading = await readNoiseReading(this.procRoot, this.rootPid, t, this.mode);
    if (!reading) {
      // /proc/stat unreadable (a restricted container): what the OS offers.
      this.record(t, this.elsewhere(t));
      return;
    }
    const previous = this.previous;
    this.previous = reading;
    this.previousAt = t;
    if (previous) this.record(t, intervalBetween(previous, reading));
  }

  /** macOS and the BSDs offer the load average; Windows reports zeros, which say nothing. */
  private elsewhere(t: number): NoiseInterval {
    const load = this.platform === 'win32' ? null : os.loadavg()[0]!;
    const interval = { durationMs: t - this.previousAt, othersCores: null, stealRatio: null, loadAverage: load, cpuPressure: null };
    this.previousAt = t;
    return interval;
  }

  private record(t: number, interval: NoiseInterval): void {
    if (!(interval.durationMs > 0)) return;
    this.intervals.push(interval);
    // In this order: steal and pressure, both shares of time, end up side by side (one report chart).
    this.put(NOISE_SERIES.othersCores, 'cores', 'machine: other processes', interval.othersCores, t);
    this.put(NOISE_SERIES.loadAverage, 'count', 'machine: load average (1 min)', interval.loadAverage, t);
    this.put(NOISE_SERIES.steal, 'ratio', 'machine: CPU steal', interval.stealRatio, t);
    this.put(NOISE_SERIES.cpuPressure, 'ratio', 'machine: CPU pressure (some, avg10)', interval.cpuPressure, t);
  }

  private put(name: string, unit: 'cores' | 'ratio' | 'count', label: string, value: number | null, t: number): void {
    if (value === null) return;
    // Declared with the first value, after the kind's own series: reports and charts list the kind's first.
    if (!this.declared.has(name)) {
      this.sink.declareSeries(name, unit, label);
      this.declared.add(name);
    }
    this.sink.sample(name, value, t);
  }
}
