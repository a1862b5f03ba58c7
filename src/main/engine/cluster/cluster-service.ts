import type { ClusterEvent } from '../../../shared/cluster-protocol.js';
import type { Disposer } from '../../../shared/contract.js';
import { TunebenchError } from '../../../shared/errors.js';
import type { ClusterFault, ClusterSettings, ClusterStatus } from '../../../shared/specs/cluster.js';
import type { NodeRuntimeResolver } from '../processes/node-runtime.js';
import { runtimeSubjects, type RuntimeSubjects } from '../runtime/subjects.js';
import { ChildRegistry } from '../processes/child-registry.js';
import { ClusterProbes } from './cluster-probes.js';
import { describeExit } from '../processes/managed-child.js';
import { SupervisedCluster } from './supervised-cluster.js';

export interface ClusterServiceListener {
  status(status: ClusterStatus): void;
  event(event: ClusterEvent): void;
}

/**
 * The workbench's standing cluster (the Cluster page's Start/Stop, and
 * `tunebench serve`): at most one at a time, owned here, stopped on dispose.
 * Runs measure it through the load kind's "running-cluster" target.
 */
export class ClusterService {
  private cluster: SupervisedCluster | undefined;
  private phase: 'stopped' | 'starting' | 'stopping' = 'stopped';
  private pendingSettings: ClusterSettings | undefined;
  private subscriptions: Disposer[] = [];
  private readonly listeners = new Set<ClusterServiceListener>();

  constructor(
    private readonly registry: ChildRegistry,
    private readonly workersDir: string,
    /** The host's choice of Node.js for the supervisor and its servers. */
    private readonly nodeRuntime: NodeRuntimeResolver,
    /** Where snapshots and profiles of the standing cluster's processes go; without it they are not inspectable. */
    private readonly runtimeDir?: string,
    private readonly subjects: RuntimeSubjects = runtimeSubjects,
  ) {}

  get current(): SupervisedCluster | undefined {
    return this.cluster?.running ? this.cluster : undefined;
  }

  listen(listener: ClusterServiceListener): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): ClusterStatus {
    const cluster = this.cluster;
    if (!cluster) {
      return {
        state: this.phase === 'starting' ? 'starting' : 'stopped',
        ...(this.pendingSettings ? { settings: this.pendingSettings } : {}),
        workers: [],
      };
    }
    return {
      state: this.phase === 'stopping' ? 'stopping' : cluster.running ? 'running' : 'stopped',
      address: cluster.address,
      port: cluster.port,
      ...(cluster.supervisorPid ? { supervisorPid: cluster.supervisorPid } : {}),
      runtime: `${cluster.runtime.command} (${cluster.runtime.version}, ${cluster.runtime.source})`,
      settings: cluster.settings,
      workers: cluster.workers,
    };
  }

  async start(settings: ClusterSettings): Promise<ClusterStatus> {
    if (this.phase !== 'stopped' || this.cluster) {
      throw new TunebenchError('TB_CLUSTER_RUNNING', { state: this.cluster ? 'running' : this.phase });
    }
    this.phase = 'starting';
    this.pendingSettings = settings;
    this.publish();
    try {
      const cluster = await SupervisedCluster.start(this.registry, this.workersDir, settings, this.nodeRuntime);
      this.cluster = cluster;
      this.subscriptions = [
        ...(this.runtimeDir ? [disposerOf(new ClusterProbes(cluster, { registry: this.subjects, artifactDir: this.runtimeDir }))] : []),
        cluster.onWorkers(() => this.publish()),
        cluster.onEvent((event) => this.publishEvent(event)),
        cluster.onUnexpectedExit((exit) => {
          this.publishEvent({ type: 'worker-exit', message: `the cluster supervisor died (${describeExit(exit)})`, at: Date.now() });
          this.release();
        }),
      ];
      for (const event of cluster.earlyEvents) this.publishEvent(event);
    } finally {
      this.phase = 'stopped';
      this.pendingSettings = undefined;
      this.publish();
    }
    return this.status();
  }

  async stop(): Promise<ClusterStatus> {
    const cluster = this.cluster;
    if (!cluster) return this.status();
    this.phase = 'stopping';
    this.publish();
    try {
      await cluster.stop();
    } finally {
      this.release();
    }
    return this.status();
  }

  async fault(fault: ClusterFault): Promise<string> {
    return this.require().fault(fault);
  }

  async rollingRestart(): Promise<number> {
    const started = performance.now();
    await this.require().rollingRestart();
    return performance.now() - started;
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.listeners.clear();
  }

  private require(): SupervisedCluster {
    const cluster = this.current;
    if (!cluster) throw new TunebenchError('TB_CLUSTER_NOT_RUNNING', { alternative: '' });
    return cluster;
  }

  private release(): void {
    for (const dispose of this.subscriptions.splice(0)) dispose();
    this.cluster = undefined;
    this.phase = 'stopped';
    this.publish();
  }

  private publish(): void {
    const status = this.status();
    for (const listener of this.listeners) listener.status(status);
  }

  private publishEvent(event: ClusterEvent): void {
    for (const listener of this.listeners) listener.event(event);
  }
}

function disposerOf(resource: { dispose(): void }): Disposer {
  return () => resource.dispose();
}
