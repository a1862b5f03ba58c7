/**
 * Reading what the inspector wrote: a heap snapshot summarised by constructor
 * (as DevTools' Summary view groups it), two summaries diffed, a CPU profile's
 * top functions by self time, a sampling heap profile's top allocators.
 */
import { promises as fs } from 'node:fs';
import { TunebenchError } from '../../../shared/errors.js';
import type { FunctionRow, HeapDiffRow, HeapSummary } from '../../../shared/runtime.js';

export const TOP_ROWS = 20;

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] }; node_count: number };
  nodes: number[];
  strings: string[];
}

function invalid(file: string, detail: string): TunebenchError {
  return new TunebenchError('TB_IMPORT_INVALID', { file, detail });
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw invalid(file, error instanceof Error ? error.message : String(error));
  }
}

/** Count and self size per constructor; strings, arrays, closures and code are grouped as DevTools does, in parentheses. */
export function summarizeHeapSnapshot(json: unknown, file = 'heap snapshot', rows = TOP_ROWS): HeapSummary & { all: Map<string, { count: number; selfSize: number }> } {
  const snapshot = json as SnapshotJson;
  const meta = snapshot?.snapshot?.meta;
  if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(snapshot.nodes) || !Array.isArray(snapshot.strings)) {
    throw invalid(file, 'not a V8 heap snapshot (snapshot.meta, nodes or strings missing)');
  }
  const fields = meta.node_fields;
  const width = fields.length;
  const typeField = fields.indexOf('type');
  const nameField = fields.indexOf('name');
  const sizeField = fields.indexOf('self_size');
  const typeNames = meta.node_types[typeField];
  if (typeField < 0 || nameField < 0 || sizeField < 0 || !Array.isArray(typeNames)) {
    throw invalid(file, 'snapshot meta lacks type, name or self_size node fields');
  }
  const groups = new Map<string, { count: number; selfSize: number }>();
  let totalSize = 0;
  let totalCount = 0;
  const { nodes, strings } = snapshot;
  for (let i = 0; i + width <= nodes.length; i += width) {
    const type = String(typeNames[nodes[i + typeField]!] ?? 'unknown');
    const size = nodes[i + sizeField]!;
    const name = type === 'object' || type === 'native' ? (strings[nodes[i + nameField]!] ?? '(unknown)') : `(${type})`;
    const group = groups.get(name) ?? { count: 0, selfSize: 0 };
    group.count += 1;
    group.selfSize += size;
    groups.set(name, group);
    totalSize += size;
    totalCount += 1;
  }
  const top = [...groups.entries()]
    .map(([name, { count, selfSize }]) => ({ name, count, selfSize }))
    .sort((a, b) => b.selfSize - a.selfSize)
    .slice(0, rows);
  return { totalSize, totalCount, top, all: groups };
}

export async function summarizeHeapSnapshotFile(file: string) {
  return summarizeHeapSnapshot(await readJson(file), file);
}

/** What grew between two snapshots, by constructor, largest growth in size first. */
export function diffHeapSummaries(
  before: Map<string, { count: number; selfSize: number }>,
  after: Map<string, { count: number; selfSize: number }>,
  rows = TOP_ROWS,
): HeapDiffRow[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const diff: HeapDiffRow[] = [];
  for (const name of names) {
    const a = before.get(name) ?? { count: 0, selfSize: 0 };
    const b = after.get(name) ?? { count: 0, selfSize: 0 };
    if (a.count === b.count && a.selfSize === b.selfSize) continue;
    diff.push({ name, countDelta: b.count - a.count, sizeDelta: b.selfSize - a.selfSize, count: b.count, selfSize: b.selfSize });
  }
  return diff.sort((x, y) => y.sizeDelta - x.sizeDelta).slice(0, rows);
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

function frameKey(frame: CallFrame): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}`;
}

function topRows(byKey: Map<string, { frame: CallFrame; self: number }>, total: number, rows: number): FunctionRow[] {
  return [...byKey.values()]
    .sort((a, b) => b.self - a.self)
    .slice(0, rows)
    .map(({ frame, self }) => ({
      functionName: frame.functionName || '(anonymous)',
      url: frame.url,
      // The protocol counts lines from 0; people count from 1.
      line: frame.lineNumber + 1,
      self,
      share: total > 0 ? self / total : 0,
    }));
}

/** Top functions by self time (ms) of a .cpuprofile. */
export function topFunctionsBySelfTime(json: unknown, file = 'CPU profile', rows = TOP_ROWS): { totalMs: number; samples: number; top: FunctionRow[] } {
  const profile = json as {
    nodes?: Array<{ id: number; callFrame: CallFrame; hitCount?: number }>;
    samples?: number[];
    startTime?: number;
    endTime?: number;
  };
  if (!Array.isArray(profile?.nodes) || !Array.isArray(profile.samples)) throw invalid(file, 'not a CPU profile (nodes or samples missing)');
  const totalMs = ((profile.endTime ?? 0) - (profile.startTime ?? 0)) / 1_000;
  const hitsById = new Map<number, number>();
  for (const id of profile.samples) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  const msPerSample = profile.samples.length ? totalMs / profile.samples.length : 0;
  const byKey = new Map<string, { frame: CallFrame; self: number }>();
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? node.hitCount ?? 0;
    if (!hits) continue;
    const key = frameKey(node.callFrame);
    const row = byKey.get(key) ?? { frame: node.callFrame, self: 0 };
    row.self += hits * msPerSample;
    byKey.set(key, row);
  }
  return { totalMs, samples: profile.samples.length, top: topRows(byKey, totalMs, rows) };
}

/** Top allocating functions (bytes sampled) of a sampling heap profile. */
export function topAllocators(json: unknown, file = 'allocation profile', rows = TOP_ROWS): { totalBytes: number; top: FunctionRow[] } {
  const profile = json as { head?: { callFrame: CallFrame; selfSize: number; children?: unknown[] } };
  if (!profile?.head?.callFrame) throw invalid(file, 'not a sampling heap profile (head missing)');
  const byKey = new Map<string, { frame: CallFrame; self: number }>();
  let totalBytes = 0;
  const stack: Array<{ callFrame: CallFrame; selfSize: number; children?: unknown[] }> = [profile.head];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.selfSize > 0) {
      const key = frameKey(node.callFrame);
      const row = byKey.get(key) ?? { frame: node.callFrame, self: 0 };
      row.self += node.selfSize;
      byKey.set(key, row);
      totalBytes += node.selfSize;
    }
    for (const child of node.children ?? []) stack.push(child as typeof node);
  }
  return { totalBytes, top: topRows(byKey, totalBytes, rows) };
}

export async function readProfileFile(file: string): Promise<unknown> {
  return readJson(file);
}
