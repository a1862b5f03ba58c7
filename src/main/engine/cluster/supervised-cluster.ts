import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  SupervisorMessageSchema,
  type ClusterEvent,
  type ProbeEnvelope,
  type SupervisorCommand,
  type SupervisorMessage,
} from '../../../shared/cluster-protocol.js';
import type { Disposer } from '../../../shared/contract.js';
import { isErrorCode, TunebenchError } from '../../../shared/errors.js';
import type { ClusterFault, ClusterSettings, WorkerStatus } from '../../../shared/specs/cluster.js';
import type { LinkChannel } from '../runtime/probe-link.js';
import type { ChildRegistry } from '../processes/child-registry.js';
import { describeExit, type ChildExit, type ManagedChild } from '../processes/managed-child.js';
import type { NodeRuntime, NodeRuntimeResolver } from '../processes/node-runtime.js';

export const SUPERVISOR_ENTRY = 'cluster-supervisor.js';
export const TEST_SERVER_ENTRY = 'test-server.js';
/** Time for the supervisor to fork and hear from each worker, on top of a base allowance. */
const READY_BASE_MS = 15_000;
const READY_PER_WORKER_MS = 500;
/** After the workers' own drain timeout, the supervisor gets this long to exit before its group is killed. */
const STOP_SLACK_MS = 3_000;

type Child = ManagedChild<SupervisorMessage, SupervisorCommand>;
type Listener<T> = (value: T) => void;

/**
 * A running cluster of test servers: the supervisor child process and the
 * typed conversation with it. Owned by whoever started it (a run or the
 * engine's standing cluster); stop() drains the workers and resolves when
 * the supervisor has exited.
 */
export class SupervisedCluster {
  private latestWorkers: WorkerStatus[] = [];
  private readonly workerListeners = new Set<(workers: WorkerStatus[], at: number) => void>();
  private readonly eventListeners = new Set<Listener<ClusterEvent>>();
  private readonly exitListeners = new Set<Listener<ChildExit>>();
  private readonly probeListeners = new Set<Listener<ProbeEnvelope>>();
  private readonly pending = new Map<number, { resolve: (message?: string) => void; reject: (error: Error) => void }>();
  private nextRequestId = 1;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly child: Child,
    readonly settings: ClusterSettings,
    readonly port: number,
    readonly runtime: NodeRuntime & { version: string },
    /** Events from before start() resolved (each worker's first start), for whoever records the timeline. */
    readonly earlyEvents: readonly ClusterEvent[],
    workers: WorkerStatus[],
  ) {
    this.latestWorkers = workers;
    child.onMessage((message) => this.onMessage(message));
    void child.closed.then((exit) => {
      for (const { reject } of this.pending.values()) {
        reject(new TunebenchError('TB_CHILD_FAILED', { name: child.name, detail: `exited (${describeExit(exit)})` }));
      }
      this.pending.clear();
      this.latestWorkers = this.latestWorkers.map((worker) => ({ ...worker, state: 'stopped' as const, uptimeMs: 0 }));
      if (!this.stopping) for (const listener of this.exitListeners) listener(exit);
    });
  }

  /** Starts the supervisor on the user's Node runtime; resolves once every worker listens. */
  static async start(
    registry: ChildRegistry,
    workersDir: string,
    settings: ClusterSettings,
    nodeRuntime: NodeRuntimeResolver,
  ): Promise<SupervisedCluster> {
    const supervisorEntry = join(workersDir, SUPERVISOR_ENTRY);
    const serverEntry = join(workersDir, TEST_SERVER_ENTRY);
    for (const file of [supervisorEntry, serverEntry]) {
      if (!existsSync(file)) {
        throw new TunebenchError('TB_NOT_BUILT', { file });
      }
    }
    const runtime = nodeRuntime.resolve();
    const child: Child = registry.spawn<SupervisorMessage, SupervisorCommand>({
      name: 'cluster supervisor',
      command: runtime.command,
      args: [supervisorEntry],
      inbound: SupervisorMessageSchema,
      isReady: (message) => message.type === 'ready' || message.type === 'fatal',
      readyTimeoutMs: READY_BASE_MS + settings.workers * READY_PER_WORKER_MS,
    });
    const earlyEvents: ClusterEvent[] = [];
    const stopCollecting = child.onMessage((message) => {
      if (message.type === 'event') earlyEvents.push(message.event);
    });
    try {
      child.send({ type: 'start', settings, serverEntry });
      const first = await child.ready;
      if (first.type === 'fatal') {
        await child.stop(1_000);
        throw new TunebenchError('TB_CHILD_FAILED', { name: child.name, detail: first.message });
      }
      if (first.type !== 'ready') throw new TunebenchError('TB_INTERNAL', { detail: 'unexpected ready message' });
      return new SupervisedCluster(child, settings, first.port, { ...runtime, version: first.node }, earlyEvents, first.workers);
    } catch (error) {
      await child.stop(0);
      throw error;
    } finally {
      stopCollecting();
    }
  }

  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get supervisorPid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.state === 'ready' && !this.stopping;
  }

  get workers(): WorkerStatus[] {
    return this.latestWorkers;
  }

  /** Each metrics round of the supervisor; `at` is when it asked the workers (wall clock, Date.now()). */
  onWorkers(listener: (workers: WorkerStatus[], at: number) => void): Disposer {
    this.workerListeners.add(listener);
    return () => this.workerListeners.delete(listener);
  }

  onEvent(listener: Listener<ClusterEvent>): Disposer {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Lines the supervisor and its workers write (stdout, stderr) and malformed messages. */
  onOutput(listener: Listener<{ stream: 'stdout' | 'stderr' | 'protocol'; line: string }>): Disposer {
    return this.child.onOutput(listener);
  }

  /** The supervisor died without being asked to stop. */
  onUnexpectedExit(listener: Listener<ChildExit>): Disposer {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Runtime-probe messages from the supervisor (no slot) and, relayed by it, from each test server. */
  onProbe(listener: Listener<ProbeEnvelope>): Disposer {
    this.probeListeners.add(listener);
    return () => this.probeListeners.delete(listener);
  }

  /** The probe channel of one process of the cluster: the supervisor (slot undefined) or the test server in a slot. */
  probeChannel(slot: number | undefined): LinkChannel {
    return {
      send: (message) => {
        if (!this.running) throw new TunebenchError('TB_CLUSTER_NOT_RUNNING', { alternative: '' });
        this.child.send({ type: 'probe', ...(slot === undefined ? {} : { slot }), message });
      },
      onMessage: (listener) =>
        this.onProbe((envelope) => {
          if (envelope.slot === slot) listener(envelope.message);
        }),
    };
  }

  async fault(fault: ClusterFault): Promise<string> {
    return (await this.request((id) => ({ type: 'fault', id, fault }))) ?? '';
  }

  async rollingRestart(): Promise<void> {
    await this.request((id) => ({ type: 'rolling-restart', id }));
  }

  /** Drains every worker (up to the shutdown timeout), then the supervisor exits; kills the group if it lingers. */
  stop(): Promise<void> {
    this.stopping ??= this.child
      .stop(this.settings.shutdownTimeoutMs + STOP_SLACK_MS, { type: 'shutdown' })
      .then(() => undefined);
    return this.stopping;
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  private request(build: (id: number) => SupervisorCommand): Promise<string | undefined> {
    if (!this.running) return Promise.reject(new TunebenchError('TB_CLUSTER_NOT_RUNNING', { alternative: '' }));
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send(build(id));
    });
  }

  private onMessage(message: SupervisorMessage): void {
    switch (message.type) {
      case 'workers':
        this.latestWorkers = message.workers;
        for (const listener of this.workerListeners) listener(message.workers, message.at);
        break;
      case 'event':
        for (const listener of this.eventListeners) listener(message.event);
        break;
      case 'reply': {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiter) break;
        if (message.ok) waiter.resolve(message.message);
        else if (isErrorCode(message.code)) waiter.reject(TunebenchError.fromPayload({ code: message.code, message: message.message ?? '' }));
        else waiter.reject(new TunebenchError('TB_INTERNAL', { detail: `the cluster supervisor refused: ${message.message ?? 'no reason given'}` }));
        break;
      }
      case 'probe':
        for (const listener of this.probeListeners) listener(message);
        break;
      case 'ready':
      case 'fatal':
        break;
    }
  }
}
