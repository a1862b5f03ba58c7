/**
 * Makes a running cluster's processes inspectable: the supervisor and the
 * test server in each slot become runtime subjects (heap snapshot, CPU and
 * allocation profiles from the Memory page) while they live. A slot whose
 * worker is replaced is registered again under its new pid.
 */
import type { Artifact } from '../../../shared/run-record.js';
import type { ProbeSample } from '../../../shared/runtime.js';
import type { WorkerStatus } from '../../../shared/specs/cluster.js';
import type { Disposable } from '../disposable.js';
import { ProbeLink } from '../runtime/probe-link.js';
import type { RuntimeSubjects } from '../runtime/subjects.js';
import type { SupervisedCluster } from './supervised-cluster.js';

export interface ClusterProbesOptions {
  registry: RuntimeSubjects;
  /** Where snapshots and profiles of these processes are written. */
  artifactDir: string;
  /** The run that owns the cluster, when one does. */
  runId?: string;
  addArtifact?: (artifact: Artifact) => void;
}

interface Registered {
  pid: number;
  release: () => void;
}

export class ClusterProbes implements Disposable {
  private readonly links = new Map<number | undefined, ProbeLink>();
  private readonly latest = new Map<number | undefined, ProbeSample>();
  private readonly registered = new Map<number | undefined, Registered>();
  private readonly stopWatching: () => void;
  private readonly idPrefix: string;
  private disposed = false;

  constructor(
    private readonly cluster: SupervisedCluster,
    private readonly options: ClusterProbesOptions,
  ) {
    // The supervisor's pid tells two clusters (the standing one and a run's own) apart.
    this.idPrefix = `cluster-${cluster.supervisorPid ?? 'gone'}`;
    const supervisorPid = cluster.supervisorPid;
    if (supervisorPid !== undefined) this.register(undefined, supervisorPid, `cluster supervisor (pid ${supervisorPid})`);
    this.sync(cluster.workers);
    this.stopWatching = cluster.onWorkers((workers) => this.sync(workers));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWatching();
    for (const { release } of this.registered.values()) release();
    this.registered.clear();
    for (const link of this.links.values()) link.dispose();
    this.links.clear();
  }

  /** Registers each running test server, re-registers a slot whose pid changed, and drops slots that stopped. */
  private sync(workers: WorkerStatus[]): void {
    if (this.disposed) return;
    for (const worker of workers) {
      const current = this.registered.get(worker.slot);
      const pid = worker.state === 'running' ? worker.pid : undefined;
      if (current && current.pid === pid) continue;
      if (current) {
        current.release();
        this.registered.delete(worker.slot);
        // A new process: the old one's last heap numbers say nothing about it.
        this.latest.delete(worker.slot);
      }
      if (pid !== undefined) this.register(worker.slot, pid, `test server ${worker.slot} (pid ${pid})`);
    }
  }

  private register(slot: number | undefined, pid: number, label: string): void {
    const link = this.linkFor(slot);
    const release = this.options.registry.add({
      id: slot === undefined ? `${this.idPrefix}.supervisor` : `${this.idPrefix}.worker.${slot}`,
      pid,
      label,
      ...(this.options.runId ? { runId: this.options.runId } : {}),
      artifactDir: this.options.artifactDir,
      heap: () => {
        const sample = this.latest.get(slot);
        return sample ? { used: sample.heapUsed, limit: sample.heapLimit } : undefined;
      },
      command: (request, timeoutMs) => link.command(request, timeoutMs),
      ...(this.options.addArtifact ? { addArtifact: this.options.addArtifact } : {}),
    });
    this.registered.set(slot, { pid, release });
  }

  /** One link per slot for the cluster's life: request ids stay unique across the slot's worker generations. */
  private linkFor(slot: number | undefined): ProbeLink {
    let link = this.links.get(slot);
    if (!link) {
      link = new ProbeLink(this.cluster.probeChannel(slot), (batch) => {
        const last = batch.samples.at(-1);
        if (last) this.latest.set(slot, last);
      });
      this.links.set(slot, link);
    }
    return link;
  }
}
