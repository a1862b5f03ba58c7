/**
 * Attaching to a Node.js process Tunebench did not start (attach.* calls):
 * list the local Node processes, open one's inspector with SIGUSR1, talk to
 * it over its WebSocket on the loopback address, and register it as a
 * runtime subject, so runtime.cpuProfile / allocationProfile / heapSnapshot
 * work on it as on any probed process (files in <dataDir>/runtime).
 * Detaching closes the inspector again unless it was open before.
 *
 * Who may be attached: a Node.js process (its executable is node), of the
 * same user as the workbench (real and effective uid; root is no exception:
 * it attaches to root's own processes only), not the workbench itself, that
 * the last attach.list returned (same pid and start time), whose inspector
 * is set to listen on a loopback address. The only code evaluated in it is
 * CLOSE_EXPRESSION, on detach.
 */
import { createWriteStream, realpathSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { AttachableProcess, AttachCloseSchema, AttachListSchema, AttachOpenSchema } from '../../../shared/attach.js';
import { TunebenchError } from '../../../shared/errors.js';
import type { ProbeCommand } from '../../../shared/runtime.js';
import { recordAllocationProfile, recordCpuProfile, writeJson, type InspectorPost } from '../../../node/probe/inspect.js';
import { isProcessRunning } from '../processes/process-info.js';
import { InspectorClosedError, InspectorSession, inspectorSocketUrl, inspectorVersion } from './inspector-client.js';
import {
  allPids,
  inspectorSetting,
  isLoopback,
  namespaceListeners,
  nodeOptionsOf,
  procAvailable,
  processFacts,
  processListeners,
  shortCommand,
  userName,
  type InspectorSetting,
  type Listener,
  type ProcessFacts,
} from './node-processes.js';
import { runtimeSubjects, type RuntimeSubjects } from './subjects.js';

type AttachList = z.infer<typeof AttachListSchema>;
type AttachOpen = z.infer<typeof AttachOpenSchema>;
type AttachClose = z.infer<typeof AttachCloseSchema>;

/**
 * What detaching evaluates in the process, and the only code Tunebench ever evaluates there:
 * `require` is the inspector console's own (Node adds it to the command-line API), so this
 * works in CommonJS and ES module programs alike.
 */
export const CLOSE_EXPRESSION = "require('inspector').close()";
/** How long SIGUSR1 gets to open an inspector port before the inspector counts as disabled. */
export const INSPECTOR_WAIT_MS = 3_000;
const POLL_MS = 50;
const CLOSE_WAIT_MS = 3_000;
const HEAP_REFRESH_MS = 2_000;
/** An inspector with a random port: at most this many of the process's listeners are asked whether they are it. */
const MAX_PORTS_TO_ASK = 8;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Attachment {
  pid: number;
  startTime: string;
  subjectId: string;
  label: string;
  host: string;
  port: number;
  wasOpen: boolean;
  nodeVersion: string;
  session: InspectorSession;
  heap?: { used: number };
  heapTimer: NodeJS.Timeout;
  release(): void;
  detaching: boolean;
}

export interface AttachServiceOptions {
  dataDir: string;
  registry?: RuntimeSubjects;
  /** How long to wait for an inspector port after SIGUSR1; default INSPECTOR_WAIT_MS. */
  inspectorWaitMs?: number;
}

function ownUid(): number {
  return process.geteuid?.() ?? -1;
}

function sameProcess(facts: ProcessFacts | undefined, startTime: string): boolean {
  return facts !== undefined && facts.startTime === startTime;
}

/** A local address to reach a listener on: its own when it is a loopback one, the loopback of its family for a wildcard. */
function connectHost(listener: Listener): string {
  if (listener.address === '0.0.0.0') return '127.0.0.1';
  if (listener.address === '::') return '::1';
  return listener.address.replace(/^::ffff:/, '');
}

export class AttachService {
  private readonly registry: RuntimeSubjects;
  private readonly waitMs: number;
  /** pid → start time, from the last list: only these may be attached. */
  private listed = new Map<number, string>();
  private readonly attachments = new Map<number, Attachment>();
  private readonly opening = new Set<number>();
  /** Node versions learnt from inspectors, by pid and start time. */
  private readonly versions = new Map<string, string>();
  private ownNode: string | undefined;

  constructor(private readonly options: AttachServiceOptions) {
    this.registry = options.registry ?? runtimeSubjects;
    this.waitMs = options.inspectorWaitMs ?? INSPECTOR_WAIT_MS;
    try {
      this.ownNode = realpathSync(process.execPath);
    } catch {
      this.ownNode = undefined;
    }
  }

  list(): AttachList {
    requireProc();
    const uid = ownUid();
    const processes: AttachableProcess[] = [];
    const listed = new Map<number, string>();
    for (const pid of allPids()) {
      if (pid === process.pid) continue;
      const facts = processFacts(pid);
      if (!facts?.isNode) continue;
      listed.set(pid, facts.startTime);
      processes.push(this.describe(facts, uid));
    }
    this.listed = listed;
    return { processes: processes.sort((a, b) => a.pid - b.pid), user: userName(uid), uid };
  }

  async open(pid: number): Promise<AttachOpen> {
    requireProc();
    const facts = this.checkAllowed(pid);
    const existing = this.attachments.get(pid);
    if (existing && existing.startTime === facts.startTime && existing.session.isOpen) return this.openAnswer(existing);
    if (this.opening.has(pid)) throw new TunebenchError('TB_ATTACH_BUSY', { pid, how: 'being attached' });
    this.opening.add(pid);
    try {
      return this.openAnswer(await this.attach(facts));
    } finally {
      this.opening.delete(pid);
    }
  }

  async close(pid: number): Promise<AttachClose> {
    const attachment = this.attachments.get(pid);
    if (!attachment) {
      if (!isProcessRunning(pid)) throw new TunebenchError('TB_ATTACH_GONE', { pid, detail: '' });
      throw new TunebenchError('TB_NOT_ATTACHED', { pid });
    }
    const inspector = await this.detach(attachment);
    return { pid, running: sameProcess(processFacts(pid), attachment.startTime), inspector };
  }

  /** Detaches from every process (the engine is stopping); each keeps running. */
  async dispose(): Promise<void> {
    await Promise.all(
      [...this.attachments.values()].map((attachment) =>
        this.detach(attachment).catch((error: unknown) => console.error(`tunebench: detaching from process ${attachment.pid} failed:`, error)),
      ),
    );
  }

  // ---- listing ------------------------------------------------------------------------------

  private describe(facts: ProcessFacts, uid: number): AttachableProcess {
    const attachment = this.attachments.get(facts.pid);
    const attached = attachment && attachment.startTime === facts.startTime ? attachment : undefined;
    const own = facts.uid === uid && facts.euid === uid;
    const inspector = attached ? { inspector: 'attached' as const, inspectorPort: attached.port } : this.inspectorState(facts);
    const version = this.versions.get(`${facts.pid}:${facts.startTime}`) ?? (this.runsOwnNode(facts) ? process.version : undefined);
    return {
      pid: facts.pid,
      command: shortCommand(facts.argv),
      user: userName(facts.uid),
      uid: facts.uid,
      ...inspector,
      ...(version ? { nodeVersion: version } : {}),
      attachable: own,
      ...(own ? {} : { reason: `belongs to ${userName(facts.uid)}; Tunebench attaches only to processes of ${userName(uid)}` }),
      ...(attached ? { processId: attached.subjectId } : {}),
    };
  }

  private inspectorState(facts: ProcessFacts): Pick<AttachableProcess, 'inspector' | 'inspectorPort'> {
    const listeners = processListeners(facts.pid);
    if (!listeners) return { inspector: 'unknown' };
    const setting = inspectorSetting(facts.argv, nodeOptionsOf(facts.pid));
    if (setting.port === 0) return { inspector: listeners.length === 0 ? 'closed' : 'unknown' };
    return listeners.some((listener) => listener.port === setting.port) ? { inspector: 'open', inspectorPort: setting.port } : { inspector: 'closed' };
  }

  private runsOwnNode(facts: ProcessFacts): boolean {
    if (!facts.exe || !this.ownNode) return false;
    try {
      return realpathSync(facts.exe) === this.ownNode;
    } catch {
      return false;
    }
  }

  // ---- attaching ----------------------------------------------------------------------------

  /** The process as it is now, if it may be attached; otherwise the catalogued reason why not. */
  private checkAllowed(pid: number): ProcessFacts {
    const facts = processFacts(pid);
    if (!facts) throw new TunebenchError('TB_ATTACH_GONE', { pid, detail: '' });
    if (pid === process.pid) {
      throw new TunebenchError('TB_ATTACH_SELF', { pid });
    }
    if (!facts.isNode) throw new TunebenchError('TB_ATTACH_NOT_NODE', { pid, command: shortCommand(facts.argv, 80) });
    const uid = ownUid();
    if (facts.uid !== uid || facts.euid !== uid) {
      throw new TunebenchError('TB_ATTACH_FORBIDDEN', {
        pid,
        owner: userName(facts.euid !== uid ? facts.euid : facts.uid),
        self: userName(uid),
        detail: uid === 0 ? ' (running as root changes nothing here: root attaches to its own processes only)' : '',
      });
    }
    const listedStart = this.listed.get(pid);
    if (listedStart === undefined) {
      throw new TunebenchError('TB_ATTACH_NOT_LISTED', { pid });
    }
    if (listedStart !== facts.startTime) {
      throw new TunebenchError('TB_ATTACH_GONE', { pid, detail: ' (its pid now names another process); list the processes again' });
    }
    return facts;
  }

  private async attach(facts: ProcessFacts): Promise<Attachment> {
    const { pid } = facts;
    const setting = inspectorSetting(facts.argv, nodeOptionsOf(pid));
    if (!isLoopback(setting.host)) {
      throw new TunebenchError('TB_ATTACH_NOT_LOOPBACK', {
        pid,
        where: `is set to listen on ${setting.host}:${setting.port} (its --inspect or --inspect-port option, or NODE_OPTIONS)`,
        detail: '; nothing was sent to it',
      });
    }
    const before = processListeners(pid) ?? [];
    let found = await findOpenInspector(before, setting);
    const wasOpen = found !== undefined;
    if (found) {
      if (!isLoopback(found.listener.address)) {
        throw new TunebenchError('TB_ATTACH_NOT_LOOPBACK', { pid, where: `listens on ${found.listener.address}:${found.listener.port}`, detail: '; it was left as it was' });
      }
    } else {
      if (setting.port > 0 && namespaceListeners(pid).some((listener) => listener.port === setting.port)) {
        throw new TunebenchError('TB_ATTACH_PORT_TAKEN', { port: setting.port, pid });
      }
      this.signal(facts);
      found = await this.waitForInspector(facts, new Set(before.map((listener) => listener.inode)), setting);
      if (!isLoopback(found.listener.address)) {
        await closeInspectorAt(found.host, found.listener.port);
        throw new TunebenchError('TB_ATTACH_NOT_LOOPBACK', {
          pid,
          where: `opened on ${found.listener.address}:${found.listener.port}`,
          detail: '; Tunebench closed it again',
        });
      }
    }
    const { host } = found;
    const port = found.listener.port;
    let session: InspectorSession;
    let nodeVersion: string;
    try {
      nodeVersion = found.version ?? (await inspectorVersion(host, port));
      session = await InspectorSession.open(await inspectorSocketUrl(host, port));
    } catch (error) {
      throw new TunebenchError(
        'TB_ATTACH_INSPECTOR_REFUSED',
        {
          pid,
          address: `${host}:${port}`,
          reason: `${error instanceof Error ? error.message : String(error)}${wasOpen ? '' : '; it may still be open'}`,
        },
        { cause: error },
      );
    }
    this.versions.set(`${pid}:${facts.startTime}`, nodeVersion);
    const subjectId = `attached:${pid}`;
    const label = `${shortCommand(facts.argv, 60)} (pid ${pid}, attached)`;
    const attachment: Attachment = {
      pid,
      startTime: facts.startTime,
      subjectId,
      label,
      host,
      port,
      wasOpen,
      nodeVersion,
      session,
      heapTimer: setInterval(() => void this.refreshHeap(attachment), HEAP_REFRESH_MS).unref(),
      release: () => {},
      detaching: false,
    };
    try {
      attachment.release = this.registry.add({
        id: subjectId,
        pid,
        label,
        artifactDir: path.join(this.options.dataDir, 'runtime'),
        heap: () => attachment.heap,
        command: (request, timeoutMs) => this.command(attachment, request, timeoutMs),
      });
    } catch {
      clearInterval(attachment.heapTimer);
      await this.closeSession(attachment);
      throw new TunebenchError('TB_ATTACH_BUSY', { pid, how: 'attached by another workbench engine in this process' });
    }
    this.attachments.set(pid, attachment);
    // The process ended, or someone else closed its inspector: it is no longer inspectable.
    session.onClose(() => {
      if (!attachment.detaching) this.forget(attachment);
    });
    await this.refreshHeap(attachment);
    return attachment;
  }

  private signal(facts: ProcessFacts): void {
    // The last look before the signal: still the same process (pids are reused).
    if (!sameProcess(processFacts(facts.pid), facts.startTime)) throw new TunebenchError('TB_ATTACH_GONE', { pid: facts.pid, detail: '' });
    try {
      process.kill(facts.pid, 'SIGUSR1');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') throw new TunebenchError('TB_ATTACH_GONE', { pid: facts.pid, detail: '' });
      if (code === 'EPERM') {
        throw new TunebenchError('TB_ATTACH_FORBIDDEN', { pid: facts.pid, owner: userName(facts.uid), self: userName(ownUid()), detail: ' (the system refused the signal)' });
      }
      throw error;
    }
  }

  /** The new listener that SIGUSR1 opened, within the wait; the process's inspector is disabled otherwise. */
  private async waitForInspector(facts: ProcessFacts, before: Set<number>, setting: InspectorSetting): Promise<{ listener: Listener; host: string; version?: string }> {
    const until = Date.now() + this.waitMs;
    for (;;) {
      if (!sameProcess(processFacts(facts.pid), facts.startTime)) {
        throw new TunebenchError('TB_ATTACH_GONE', { pid: facts.pid, detail: ' (it ended after SIGUSR1)' });
      }
      const fresh = (processListeners(facts.pid) ?? []).filter((listener) => !before.has(listener.inode));
      const listener = fresh.find((candidate) => candidate.port === setting.port) ?? (setting.port === 0 ? fresh[0] : undefined);
      if (listener) return { listener, host: connectHost(listener) };
      if (Date.now() >= until) break;
      await sleep(POLL_MS);
    }
    throw new TunebenchError('TB_ATTACH_INSPECTOR_DISABLED', { pid: facts.pid, seconds: this.waitMs / 1_000 });
  }

  private openAnswer(attachment: Attachment): AttachOpen {
    return {
      pid: attachment.pid,
      processId: attachment.subjectId,
      label: attachment.label,
      port: attachment.port,
      inspectorWasOpen: attachment.wasOpen,
      nodeVersion: attachment.nodeVersion,
    };
  }

  private async refreshHeap(attachment: Attachment): Promise<void> {
    try {
      const usage = await attachment.session.post('Runtime.getHeapUsage', undefined, 5_000);
      if (typeof usage.usedSize === 'number') attachment.heap = { used: usage.usedSize };
    } catch {
      // Closed or busy (a snapshot pauses it): the last reading stands.
    }
  }

  // ---- inspecting ---------------------------------------------------------------------------

  private async command(attachment: Attachment, request: ProbeCommand, timeoutMs: number): Promise<number> {
    const post: InspectorPost = (method, params) => attachment.session.post(method, params, timeoutMs);
    try {
      switch (request.command) {
        case 'heapSnapshot':
          return await this.heapSnapshot(attachment, request.file, timeoutMs);
        case 'cpuProfile':
          return await writeJson(request.file, await recordCpuProfile(post, request.seconds));
        case 'allocationProfile':
          return await writeJson(request.file, await recordAllocationProfile(post, request.seconds));
        case 'gc':
          // The protocol's own full GC: no --expose-gc needed.
          await post('HeapProfiler.collectGarbage');
          return 0;
      }
    } catch (error) {
      if (error instanceof TunebenchError) throw error;
      if (error instanceof InspectorClosedError) {
        throw new TunebenchError('TB_ATTACH_GONE', { pid: attachment.pid, detail: ` or closed its inspector (during ${request.command})` });
      }
      throw new TunebenchError(
        'TB_INSPECTION_FAILED',
        { command: request.command, pid: attachment.pid, reason: error instanceof Error ? error.message : String(error) },
        { cause: error },
      );
    }
  }

  /** Streams the snapshot's chunks to the file as they come, holding the socket while the disk catches up. */
  private async heapSnapshot(attachment: Attachment, file: string, timeoutMs: number): Promise<number> {
    const { session } = attachment;
    const out = createWriteStream(file);
    let bytes = 0;
    let failed: Error | undefined;
    out.on('error', (error) => {
      failed = error;
      session.resume();
    });
    const stop = session.onEvent('HeapProfiler.addHeapSnapshotChunk', (params) => {
      if (typeof params.chunk !== 'string' || failed) return;
      bytes += Buffer.byteLength(params.chunk);
      if (!out.write(params.chunk)) {
        session.pause();
        out.once('drain', () => session.resume());
      }
    });
    try {
      await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, timeoutMs);
    } finally {
      stop();
      session.resume();
      out.end();
    }
    await finished(out);
    if (failed) throw failed;
    return bytes;
  }

  // ---- detaching ----------------------------------------------------------------------------

  private forget(attachment: Attachment): void {
    clearInterval(attachment.heapTimer);
    attachment.release();
    if (this.attachments.get(attachment.pid) === attachment) this.attachments.delete(attachment.pid);
  }

  private async closeSession(attachment: Attachment): Promise<void> {
    if (attachment.wasOpen) {
      await attachment.session.close();
      return;
    }
    attachment.session.sendOnly('Runtime.evaluate', { expression: CLOSE_EXPRESSION, includeCommandLineAPI: true });
    const closed = await Promise.race([attachment.session.closed.then(() => true), sleep(CLOSE_WAIT_MS).then(() => false)]);
    if (!closed) await attachment.session.close();
  }

  private async detach(attachment: Attachment): Promise<AttachClose['inspector']> {
    attachment.detaching = true;
    this.forget(attachment);
    await this.closeSession(attachment);
    if (!sameProcess(processFacts(attachment.pid), attachment.startTime)) return 'gone';
    if (attachment.wasOpen) return 'left-open';
    // The socket closing is the inspector's doing; its port closes right after.
    const until = Date.now() + CLOSE_WAIT_MS;
    while ((processListeners(attachment.pid) ?? []).some((listener) => listener.port === attachment.port)) {
      if (Date.now() >= until) {
        throw new TunebenchError('TB_INSPECTOR_LEFT_OPEN', { pid: attachment.pid, port: attachment.port });
      }
      await sleep(POLL_MS);
    }
    return 'closed';
  }
}

/** The inspector already open in a process (started with --inspect, or opened earlier), if any. */
async function findOpenInspector(listeners: Listener[], setting: InspectorSetting): Promise<{ listener: Listener; host: string; version?: string } | undefined> {
  // A random inspector port (--inspect=0) is asked for only when the process opened its inspector at start,
  // so the process's own servers are not sent requests for nothing.
  const candidates =
    setting.port > 0
      ? listeners.filter((listener) => listener.port === setting.port)
      : setting.openAtStart
        ? listeners.filter((listener) => isLoopback(listener.address)).slice(0, MAX_PORTS_TO_ASK)
        : [];
  for (const listener of candidates) {
    const host = connectHost(listener);
    try {
      return { listener, host, version: await inspectorVersion(host, listener.port) };
    } catch {
      // Not an inspector (the process's own server on that port).
    }
  }
  return undefined;
}

/** Closes an inspector Tunebench opened but will not use (it listened where it should not). */
async function closeInspectorAt(host: string, port: number): Promise<void> {
  try {
    const session = await InspectorSession.open(await inspectorSocketUrl(host, port));
    session.sendOnly('Runtime.evaluate', { expression: CLOSE_EXPRESSION, includeCommandLineAPI: true });
    await Promise.race([session.closed, sleep(CLOSE_WAIT_MS)]);
    await session.close();
  } catch {
    // Nothing more can be done from outside; the error says where it listens.
  }
}

function requireProc(): void {
  if (!procAvailable()) {
    throw new TunebenchError('TB_NOT_ON_THIS_PLATFORM', { what: 'Attaching to running processes', needs: 'Linux and its /proc file system' });
  }
}
