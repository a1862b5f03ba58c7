/**
 * Every process Tunebench can look inside: the engine's own process and each
 * probed subject a run registers while it lives (memory sandbox, cluster
 * supervisor, test servers), and each running Node.js process the user
 * attached to (attach.ts, through its inspector's WebSocket). Snapshots and profiles are taken through here so
 * their files land in the owning run's folder and in its artifact list.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { TunebenchError } from '../../../shared/errors.js';
import type { Artifact } from '../../../shared/run-record.js';
import type { FunctionRow, HeapDiffRow, HeapSummary, ProbeCommand, RuntimeSubjectInfo } from '../../../shared/runtime.js';
import { runInspectCommand } from '../../../node/probe/inspect.js';
import { diffHeapSummaries, readProfileFile, summarizeHeapSnapshotFile, topAllocators, topFunctionsBySelfTime } from './analysis.js';

const MB = 1024 * 1024;
/** Above this heap a snapshot needs confirmation: it pauses the process and needs about twice the heap in memory. */
export const LARGE_HEAP_BYTES = 512 * MB;
const SNAPSHOT_TIMEOUT_MS = 120_000;
const PROFILE_OVERHEAD_MS = 15_000;

export interface RuntimeSubject {
  id: string;
  pid: number;
  label: string;
  runId?: string;
  /** Folder for this subject's files: its run's folder. */
  artifactDir: string;
  /** Latest heap used and limit (from the probe; an attached process's limit is not known), for the large-heap warning. */
  heap(): { used: number; limit?: number } | undefined;
  command(request: ProbeCommand, timeoutMs: number): Promise<number>;
  /** Told about every file written for this subject, so its run can list it. */
  addArtifact?(artifact: Artifact): void;
}

type ConstructorTotals = Map<string, { count: number; selfSize: number }>;

export class RuntimeSubjects {
  private readonly subjects = new Map<string, RuntimeSubject>();
  /** The last snapshot per subject, so the next one can say what grew. */
  private readonly lastSnapshot = new Map<string, ConstructorTotals>();

  add(subject: RuntimeSubject): () => void {
    if (this.subjects.has(subject.id)) {
      throw new TunebenchError('TB_INTERNAL', { detail: `a runtime subject "${subject.id}" is already registered` });
    }
    this.subjects.set(subject.id, subject);
    return () => {
      if (this.subjects.get(subject.id) === subject) this.subjects.delete(subject.id);
      this.lastSnapshot.delete(subject.id);
    };
  }

  list(): RuntimeSubjectInfo[] {
    return [...this.subjects.values()].map((subject) => {
      const heap = subject.heap();
      return {
        id: subject.id,
        pid: subject.pid,
        label: subject.label,
        ...(subject.runId ? { runId: subject.runId } : {}),
        ...(heap ? { heapUsed: heap.used, ...(heap.limit !== undefined ? { heapLimit: heap.limit } : {}) } : {}),
      };
    });
  }

  get(id: string): RuntimeSubject {
    const subject = this.subjects.get(id);
    if (!subject) {
      const known = [...this.subjects.keys()].join(', ') || 'none';
      throw new TunebenchError('TB_SUBJECT_NOT_FOUND', { id, known });
    }
    return subject;
  }

  async heapSnapshot(
    id: string,
    confirmLarge = false,
  ): Promise<{ artifact: Artifact; path: string; summary: HeapSummary; diff?: HeapDiffRow[] }> {
    const subject = this.get(id);
    const heap = subject.heap();
    if (heap && !confirmLarge && (heap.used > LARGE_HEAP_BYTES || heap.used * 2 > os.freemem())) {
      throw new TunebenchError('TB_CONFIRM_REQUIRED', {
        subject: subject.label,
        mb: (heap.used / MB).toFixed(0),
        freeMb: (os.freemem() / MB).toFixed(0),
      });
    }
    const { artifact, file } = await this.capture(subject, 'heap-snapshot', 'heapsnapshot', (target) =>
      subject.command({ command: 'heapSnapshot', file: target }, SNAPSHOT_TIMEOUT_MS),
    );
    const summary = await summarizeHeapSnapshotFile(file);
    const previous = this.lastSnapshot.get(id);
    this.lastSnapshot.set(id, summary.all);
    return {
      artifact,
      path: file,
      summary: { totalSize: summary.totalSize, totalCount: summary.totalCount, top: summary.top },
      ...(previous ? { diff: diffHeapSummaries(previous, summary.all) } : {}),
    };
  }

  async cpuProfile(id: string, seconds: number): Promise<{ artifact: Artifact; path: string; totalMs: number; samples: number; top: FunctionRow[] }> {
    const subject = this.get(id);
    const { artifact, file } = await this.capture(subject, 'cpu-profile', 'cpuprofile', (target) =>
      subject.command({ command: 'cpuProfile', file: target, seconds }, seconds * 1_000 + PROFILE_OVERHEAD_MS),
    );
    return { artifact, path: file, ...topFunctionsBySelfTime(await readProfileFile(file), file) };
  }

  async allocationProfile(id: string, seconds: number): Promise<{ artifact: Artifact; path: string; totalBytes: number; top: FunctionRow[] }> {
    const subject = this.get(id);
    const { artifact, file } = await this.capture(subject, 'allocation-profile', 'heapprofile', (target) =>
      subject.command({ command: 'allocationProfile', file: target, seconds }, seconds * 1_000 + PROFILE_OVERHEAD_MS),
    );
    return { artifact, path: file, ...topAllocators(await readProfileFile(file), file) };
  }

  async forceGc(id: string): Promise<void> {
    await this.get(id).command({ command: 'gc' }, 10_000);
  }

  private async capture(
    subject: RuntimeSubject,
    kind: string,
    extension: string,
    write: (file: string) => Promise<number>,
  ): Promise<{ artifact: Artifact; file: string }> {
    await fs.mkdir(subject.artifactDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
    const name = `${kind}-${subject.id.replace(/[^\w.-]/g, '_')}-${stamp}-${Math.random().toString(36).slice(2, 6)}.${extension}`;
    const file = path.join(subject.artifactDir, name);
    const bytes = await write(file);
    const artifact: Artifact = { name: `${kind} of ${subject.label}`, kind, file: name, bytes, createdAt: new Date().toISOString() };
    subject.addArtifact?.(artifact);
    return { artifact, file };
  }
}

export const ENGINE_SUBJECT_ID = 'engine';

/** One registry per process: subjects are OS processes, and there is one engine process. */
export const runtimeSubjects = new RuntimeSubjects();

/** Registers the engine's own process (files go to <dataDir>/runtime); returns its disposer. */
export function registerEngineProcess(dataDir: string, registry = runtimeSubjects): () => void {
  // A second engine in the same process (tests) shares the first one's entry.
  if (registry.list().some((subject) => subject.id === ENGINE_SUBJECT_ID)) return () => {};
  return registry.add({
    id: ENGINE_SUBJECT_ID,
    pid: process.pid,
    label: `Tunebench engine (pid ${process.pid})`,
    artifactDir: path.join(dataDir, 'runtime'),
    heap: () => {
      const heap = v8.getHeapStatistics();
      return { used: heap.used_heap_size, limit: heap.heap_size_limit };
    },
    command: (request) => runInspectCommand(request),
  });
}
