/**
 * One running instance of a user's service: started from a trusted
 * definition and checked knob values (launch.ts), as a ManagedChild of the
 * engine's ChildRegistry in its own process group (so node:cluster workers
 * and child processes go with it), without an IPC channel. Every Node
 * process of the service loads the runtime probe through NODE_OPTIONS and
 * reports over this instance's probe socket; each becomes a runtime subject
 * (snapshots, profiles) while it lives. Its output is kept: the last lines in
 * memory for the live tail and error messages, all of it (bounded) in a log
 * file. Readiness is an HTTP path answering 2xx or a log line matching a
 * pattern; stop is SIGTERM to the group, SIGKILL after the definition's
 * timeout, then a check that nothing of it is left.
 */
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Disposer } from '../../../shared/contract.js';
import { TunebenchError } from '../../../shared/errors.js';
import type { Artifact } from '../../../shared/run-record.js';
import type { ProbeBatch, ProbeSample } from '../../../shared/runtime.js';
import type { KnobValue, ServiceDefinition, ServiceLogLine, ServiceProcessInfo } from '../../../shared/specs/services.js';
import { z } from 'zod';
import type { ChildRegistry } from '../processes/child-registry.js';
import type { ChildExit, ManagedChild } from '../processes/managed-child.js';
import type { NodeRuntimeResolver } from '../processes/node-runtime.js';
import { ProbeLink } from '../runtime/probe-link.js';
import type { RuntimeSubjects } from '../runtime/subjects.js';
import { planLaunch, type LaunchPlan } from './launch.js';
import { ProbeSocketServer, type ProbedProcess } from './probe-socket.js';

export const PROBE_PRELOAD_ENTRY = 'probe-preload.js';
/** Lines kept in memory for the live tail and for error messages. */
const LOG_LINES_KEPT = 500;
/** A line longer than this is cut (a service that logs a megabyte of JSON on one line). */
const MAX_LINE_CHARS = 4_000;
/** The log file stops growing here, with a note saying so. */
export const MAX_LOG_FILE_BYTES = 16 * 1024 * 1024;
/** Lines of the log quoted in an error message. */
const ERROR_TAIL_LINES = 12;
const READY_POLL_MS = 100;
const READY_REQUEST_TIMEOUT_MS = 2_000;
const MB = 1024 * 1024;
/** How long a stop waits for the killed group to be empty. */
const GROUP_GONE_WAIT_MS = 3_000;

export interface ServiceInstanceOptions {
  definition: ServiceDefinition;
  knobs: Record<string, KnobValue>;
  children: ChildRegistry;
  nodeRuntime: NodeRuntimeResolver;
  workersDir: string;
  subjects: RuntimeSubjects;
  /** Where snapshots and profiles of its processes are written. */
  artifactDir: string;
  probeIntervalMs?: number;
  databaseUrl?: string;
  /** The whole log goes here (bounded); none when absent. */
  logFile?: string;
  runId?: string;
  addArtifact?: (artifact: Artifact) => void;
  /** Told about every line as it comes. */
  onLog?: (line: ServiceLogLine) => void;
}

export interface ServiceProcess {
  index: number;
  pid: number;
  ppid: number;
  node: string;
  argv: string[];
  processId: string;
  latest: ProbeSample | undefined;
  connected: boolean;
}

export interface StopResult {
  /** graceful: gone within the stop timeout after SIGTERM; killed: SIGKILL after it; exited: it had ended by itself. */
  outcome: 'graceful' | 'killed' | 'exited';
  ms: number;
  exit: ChildExit;
  /** Processes of the service that outlived its group (they left it) and were killed by pid. */
  leftovers: number[];
}

/**
 * The service's parent on POSIX systems, like the embedded PostgreSQL's: a
 * small shell that leads the service's process group, runs the command
 * (without the IPC channel) and reads its own IPC channel to the workbench.
 * When that closes because the workbench was killed, it sends SIGTERM to the
 * whole group and SIGKILL after the stop timeout ($1, in tenths of a
 * second), so no service outlives the workbench. Asked to stop, the engine
 * signals the group itself; the shell's own SIGTERM handler only keeps it
 * waiting for the service. It exits with the service's status (128 + n for
 * signal n); its own messages ("Terminated") go nowhere, the service's
 * output to the engine.
 */
const WATCHDOG_SCRIPT = `grace=$1; shift
unset NODE_CHANNEL_FD NODE_CHANNEL_SERIALIZATION_MODE
trap : TERM INT HUP
exec 4>&2 2>/dev/null
"$@" </dev/null 3>&- 2>&4 4>&- &
svc=$!
printf '{"type":"started","pid":%d}\n' "$svc" >&3
(
  trap '' TERM INT HUP
  while IFS= read -r line <&3; do :; done
  kill -TERM 0 2>/dev/null
  n=0
  while kill -0 "$svc" 2>/dev/null && [ "$n" -lt "$grace" ]; do sleep 0.1; n=$((n + 1)); done
  kill -KILL 0 2>/dev/null
) </dev/null >/dev/null 2>&1 &
reader=$!
while :; do
  wait "$svc"
  code=$?
  kill -0 "$svc" 2>/dev/null || break
done
kill -KILL "$reader" 2>/dev/null
exit $code
`;

const WatchdogMessageSchema = z.object({ type: z.literal('started'), pid: z.number().int().positive() });
type WatchdogMessage = z.infer<typeof WatchdogMessageSchema>;
type Child = ManagedChild<WatchdogMessage | undefined, never>;
const useWatchdog = process.platform !== 'win32';

/** How a service's process ended, in words: its code, or the signal that killed it (the watchdog exits 128 + n for signal n). */
export function describeServiceExit(exit: ChildExit): string {
  if (exit.outcome === 'spawn-failed') return `could not start (${exit.stderrTail.at(-1) ?? 'unknown error'})`;
  const signal =
    exit.signal ?? (exit.code !== null && exit.code > 128 ? Object.entries(os.constants.signals).find(([, number]) => number === exit.code! - 128)?.[0] : undefined);
  return signal ? `was killed by ${signal}` : `exited with code ${exit.code}`;
}

export class ServiceInstance {
  readonly startedAt = Date.now();
  private readonly lines: ServiceLogLine[] = [];
  private readonly processList: ServiceProcess[] = [];
  private readonly links: ProbeLink[] = [];
  private readonly releases: Array<() => void> = [];
  private readonly processListeners = new Set<(process: ServiceProcess) => void>();
  private readonly batchListeners = new Set<(process: ServiceProcess, batch: ProbeBatch) => void>();
  private readonly lineListeners = new Set<(line: ServiceLogLine) => void>();
  private readonly exitListeners = new Set<(exit: ChildExit) => void>();
  private logStream: WriteStream | undefined;
  private logBytes = 0;
  private stopping: Promise<StopResult> | undefined;
  private readonly closedSockets = new Set<number>();
  private servicePid: number | undefined;

  private constructor(
    private readonly options: ServiceInstanceOptions,
    readonly plan: LaunchPlan,
    private readonly child: Child,
    private readonly probes: ProbeSocketServer,
  ) {
    if (options.onLog) this.lineListeners.add(options.onLog);
    child.onOutput(({ stream, line }) => {
      if (stream !== 'protocol') this.addLine(stream, line);
    });
    child.onMessage((message) => {
      if (message?.type === 'started') this.servicePid = message.pid;
    });
    void child.closed.then((exit) => {
      if (!this.stopping) for (const listener of this.exitListeners) listener(exit);
    });
  }

  /**
   * Starts the service; resolves once its process runs (not yet ready: see
   * waitReady). Refuses, starting nothing, when its directory or program is
   * missing or something already answers on its URL's port.
   */
  static async start(options: ServiceInstanceOptions): Promise<ServiceInstance> {
    const { definition } = options;
    const fail = (detail: string) => new TunebenchError('TB_SERVICE_FAILED', { name: definition.name, detail });
    if (!isDirectory(definition.directory)) throw fail(`cannot start: its directory ${definition.directory} does not exist`);
    const preload = path.join(options.workersDir, PROBE_PRELOAD_ENTRY);
    if (!existsSync(preload)) {
      throw new TunebenchError('TB_NOT_BUILT', { file: preload });
    }
    const url = new URL(definition.url);
    // An instance that is still stopping (the previous run's, or one a workbench that just quit left to its watchdog) gets its stop timeout to go.
    const portWaitMs = (definition.stop.timeoutSec + 2) * 1_000;
    if (!(await portFreed(url, portWaitMs))) {
      throw fail(
        `cannot start: something still answers on ${url.host} after ${portWaitMs / 1_000} s (another instance of it, or another program); stop it first`,
      );
    }
    let instance: ServiceInstance | undefined;
    const probes = await ProbeSocketServer.listen((probed) => instance?.addProcess(probed));
    try {
      const plan = planLaunch({
        definition,
        knobs: options.knobs,
        nodeCommand: () => options.nodeRuntime.resolve().command,
        probe: { preload, socketPath: probes.socketPath, token: probes.token, intervalMs: options.probeIntervalMs ?? 1_000 },
        baseEnv: process.env,
        ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
      });
      const readiness = definition.ready;
      const graceTenths = String(Math.max(1, Math.round(definition.stop.timeoutSec * 10)));
      const child: Child = options.children.spawn<WatchdogMessage | undefined, never>({
        name: `service ${definition.name}`,
        ...(useWatchdog
          ? { command: '/bin/sh', args: ['-c', WATCHDOG_SCRIPT, 'tunebench-service', graceTenths, plan.command, ...plan.args], ipc: true }
          : { command: plan.command, args: plan.args, ipc: false }),
        cwd: plan.cwd,
        env: plan.env,
        baseEnv: {},
        inbound: WatchdogMessageSchema,
        isReady: () => false,
        // A backstop only: waitReady times out first, with a better reason.
        readyTimeoutMs: readiness.timeoutSec * 1_000 + 30_000,
      });
      instance = new ServiceInstance(options, plan, child, probes);
      // A log file that cannot be written (disk full) leaves the tail in memory; the service runs on.
      if (options.logFile) await instance.openLog(options.logFile).catch(() => {});
      return instance;
    } catch (error) {
      await probes.close();
      throw error;
    }
  }

  get name(): string {
    return this.options.definition.name;
  }

  get definition(): ServiceDefinition {
    return this.options.definition;
  }

  get knobs(): Record<string, KnobValue> {
    return this.options.knobs;
  }

  /** The service's own process (under its watchdog), once known. */
  get pid(): number | undefined {
    return useWatchdog ? this.servicePid : this.child.pid;
  }

  get exited(): ChildExit | undefined {
    return this.child.exit;
  }

  get url(): string {
    return this.options.definition.url;
  }

  /** Resolves when the service is ready; rejects (TB_SERVICE_FAILED, with its last log lines) when it exits first, times out, or the signal aborts. */
  async waitReady(signal?: AbortSignal): Promise<number> {
    const started = performance.now();
    const readiness = this.options.definition.ready;
    const deadline = started + readiness.timeoutSec * 1_000;
    const failure = (detail: string) => new TunebenchError('TB_SERVICE_FAILED', { name: this.name, detail: `${detail}${this.tailText()}` });
    let lastAnswer = 'no answer yet';
    let matched = false;
    const pattern = readiness.type === 'log' ? new RegExp(readiness.pattern) : undefined;
    const stopWatching = pattern
      ? this.onLine((line) => {
          if (pattern.test(line.line)) matched = true;
        })
      : () => {};
    if (pattern && this.lines.some((line) => pattern.test(line.line))) matched = true;
    try {
      for (;;) {
        if (this.child.exit) throw failure(`${describeServiceExit(this.child.exit)} before it was ready`);
        if (signal?.aborted) throw failure('was stopped before it was ready');
        if (readiness.type === 'log' ? matched : await this.httpReady(readiness.path, (answer) => (lastAnswer = answer))) {
          this.child.markReady(undefined);
          return performance.now() - started;
        }
        if (performance.now() >= deadline) {
          const what = readiness.type === 'http' ? `GET ${readiness.path} did not answer 2xx (last: ${lastAnswer})` : `no output line matched /${readiness.pattern}/`;
          throw failure(`was not ready within ${readiness.timeoutSec} s: ${what}`);
        }
        await sleep(Math.min(READY_POLL_MS, Math.max(0, deadline - performance.now())), this.child.closed);
      }
    } finally {
      stopWatching();
    }
  }

  /** Every process of the service whose probe reported, now and as they come (existing ones are told at once). */
  onProcess(listener: (process: ServiceProcess) => void): Disposer {
    for (const process of this.processList) listener(process);
    this.processListeners.add(listener);
    return () => this.processListeners.delete(listener);
  }

  onBatch(listener: (process: ServiceProcess, batch: ProbeBatch) => void): Disposer {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  onLine(listener: (line: ServiceLogLine) => void): Disposer {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** The service's process ended without being asked to stop. */
  onExit(listener: (exit: ChildExit) => void): Disposer {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  get processes(): readonly ServiceProcess[] {
    return this.processList;
  }

  processInfo(): ServiceProcessInfo[] {
    return this.processList.map((process) => ({
      index: process.index,
      pid: process.pid,
      ppid: process.ppid,
      processId: process.processId,
      connected: process.connected,
      ...(process.latest
        ? {
            heapUsedMb: process.latest.heapUsed / MB,
            rssMb: process.latest.rss / MB,
            cpuPercent: process.latest.cpuUser + process.latest.cpuSystem,
            ...(process.latest.eld ? { eldP99Ms: process.latest.eld.p99 } : {}),
          }
        : {}),
    }));
  }

  logTail(count = ERROR_TAIL_LINES): ServiceLogLine[] {
    return this.lines.slice(-count);
  }

  /** The last log lines as a sentence's end, for error messages. */
  tailText(count = ERROR_TAIL_LINES): string {
    const tail = this.logTail(count);
    if (!tail.length) return '; it wrote nothing to stdout or stderr';
    return `; its last ${tail.length === 1 ? 'line' : `${tail.length} lines`}:\n${tail.map((line) => `  ${line.line}`).join('\n')}`;
  }

  /**
   * SIGTERM to the service's process group, SIGKILL after the definition's
   * timeout; then every process that reported through the probe and still
   * holds its socket (it left the group) is killed by pid. Resolves when all
   * of it is gone.
   */
  stop(): Promise<StopResult> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<StopResult> {
    const started = performance.now();
    const endedBefore = this.child.exit;
    const timeoutMs = this.options.definition.stop.timeoutSec * 1_000;
    const exit = await this.child.stop(timeoutMs);
    const ms = performance.now() - started;
    const outcome: StopResult['outcome'] = endedBefore ? 'exited' : exit.signal === 'SIGKILL' ? 'killed' : 'graceful';
    const leftovers = await this.killLeftovers();
    await this.release();
    return { outcome, ms, exit, leftovers };
  }

  private async killLeftovers(): Promise<number[]> {
    // The group was killed when its leader ended (SIGKILL is delivered, not awaited): wait until it is empty.
    const pid = this.child.pid;
    const until = performance.now() + GROUP_GONE_WAIT_MS;
    while (pid !== undefined && groupExists(pid) && performance.now() < until) await sleep(20);
    // A probed process whose socket is still open left the group (setsid, a daemon): it is killed by pid.
    const left = this.processList.filter((process) => !this.closedSockets.has(process.index)).map((process) => process.pid);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    return left;
  }

  private async release(): Promise<void> {
    for (const release of this.releases.splice(0)) release();
    for (const link of this.links.splice(0)) link.dispose();
    await this.probes.close();
    await this.closeLog();
  }

  private addProcess(probed: ProbedProcess): void {
    if (this.stopping && this.child.exit) return;
    const index = this.processList.length;
    const entry: ServiceProcess = {
      index,
      pid: probed.pid,
      ppid: probed.ppid,
      node: probed.node,
      argv: probed.argv,
      processId: `service-${this.name}-${probed.pid}`,
      latest: undefined,
      connected: true,
    };
    this.processList.push(entry);
    const link = new ProbeLink(probed.channel, (batch) => {
      const last = batch.samples.at(-1);
      if (last) entry.latest = last;
      for (const listener of this.batchListeners) listener(entry, batch);
    });
    this.links.push(link);
    let release: (() => void) | undefined;
    try {
      release = this.options.subjects.add({
        id: entry.processId,
        pid: entry.pid,
        label: `${this.name} process ${index} (pid ${entry.pid})`,
        ...(this.options.runId ? { runId: this.options.runId } : {}),
        artifactDir: this.options.artifactDir,
        heap: () => (entry.latest ? { used: entry.latest.heapUsed, limit: entry.latest.heapLimit } : undefined),
        command: (request, timeoutMs) => link.command(request, timeoutMs),
        ...(this.options.addArtifact ? { addArtifact: this.options.addArtifact } : {}),
      });
      this.releases.push(release);
    } catch {
      // A pid registered twice (a reused pid of an ended process): the first entry stays inspectable.
    }
    void probed.closed.then(() => {
      entry.connected = false;
      this.closedSockets.add(index);
      link.dispose();
      release?.();
    });
    for (const listener of this.processListeners) listener(entry);
  }

  private addLine(stream: 'stdout' | 'stderr', raw: string): void {
    const line: ServiceLogLine = { at: Date.now(), stream, line: raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)} …` : raw };
    this.lines.push(line);
    if (this.lines.length > LOG_LINES_KEPT) this.lines.shift();
    this.writeLog(`${new Date(line.at).toISOString()} ${stream} | ${raw}\n`);
    for (const listener of this.lineListeners) listener(line);
  }

  private async openLog(file: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    this.logStream = createWriteStream(file, { flags: 'w' });
    this.logStream.on('error', () => (this.logStream = undefined));
    // Lines written before the file was open.
    for (const line of this.lines) this.writeLog(`${new Date(line.at).toISOString()} ${line.stream} | ${line.line}\n`);
  }

  private writeLog(text: string): void {
    const stream = this.logStream;
    if (!stream || this.logBytes >= MAX_LOG_FILE_BYTES) return;
    const bytes = Buffer.byteLength(text);
    if (this.logBytes + bytes > MAX_LOG_FILE_BYTES) {
      stream.write(`[tunebench: the log stops here, at ${MAX_LOG_FILE_BYTES / MB} MB; the last lines are in the run's record]\n`);
      this.logBytes = MAX_LOG_FILE_BYTES;
      return;
    }
    this.logBytes += bytes;
    stream.write(text);
  }

  private async closeLog(): Promise<void> {
    const stream = this.logStream;
    this.logStream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(() => resolve()));
  }

  private httpReady(pathname: string, note: (answer: string) => void): Promise<boolean> {
    const target = new URL(pathname, this.options.definition.url);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<boolean>((resolve) => {
      const request = client.get(target, { agent: false, timeout: READY_REQUEST_TIMEOUT_MS }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        note(`HTTP ${status}`);
        resolve(status >= 200 && status < 300);
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${READY_REQUEST_TIMEOUT_MS} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        note(error.code ?? error.message);
        resolve(false);
      });
    });
  }
}

/** Whether any process is left in a process group (a zombie still counts until its parent reaps it). */
function groupExists(pgid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/** Whether something accepts connections on the URL's host and port now. */
function answers(url: URL): Promise<boolean> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether nothing answers on the URL's port, now or within `withinMs`. */
async function portFreed(url: URL, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (!(await answers(url))) return true;
    if (performance.now() >= deadline) return false;
    await sleep(200);
  }
}

function sleep(ms: number, interrupt?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void interrupt?.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
