/**
 * A V8 CPU profile (.cpuprofile: nodes with callFrame, children and hitCount;
 * samples with timeDeltas) as an icicle: the call tree top-down, each frame as
 * wide as the time spent in it and below it. Pure, so it is tested on its own.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime?: number;
  endTime?: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Frame {
  /** Index in the frames list; a parent comes before its children. */
  index: number;
  parent: number | undefined;
  depth: number;
  name: string;
  /** Where the function is, "file.js:12", or '' for V8's own entries ((program), (garbage collector)). */
  where: string;
  url: string;
  /** Start on the time axis, ms from the left edge of the whole profile. */
  start: number;
  /** Time in it and below it, ms. */
  total: number;
  /** Time in it alone, ms. */
  self: number;
  category: 'app' | 'dependency' | 'node' | 'v8';
}

export interface FlameGraph {
  frames: Frame[];
  totalMs: number;
  maxDepth: number;
}

function categoryOf(url: string, name: string): Frame['category'] {
  if (!url) return name.startsWith('(') ? 'v8' : 'node';
  if (url.startsWith('node:') || !/[/\\]/.test(url)) return 'node';
  if (/[/\\]node_modules[/\\]/.test(url)) return 'dependency';
  return 'app';
}

function whereOf(url: string, line: number): string {
  if (!url) return '';
  const file = url.split(/[/\\]/).pop() ?? url;
  return line >= 0 ? `${file}:${line + 1}` : file;
}

export interface FlameOptions {
  /** Keep V8's (idle) entry: time the thread waited for work. Left out, the graph is the time it worked. */
  includeIdle?: boolean;
}

const IDLE = '(idle)';

/** Self time per node id: from the samples and their time deltas when the profile has them, else hit counts spread over its duration. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples?.length && timeDeltas?.length === samples.length) {
    // Each sample lasts until the next one is taken (as DevTools reads it); the last one as long as the mean.
    const span = timeDeltas.slice(1).reduce((sum, delta) => sum + Math.max(0, delta), 0);
    const mean = samples.length > 1 ? span / (samples.length - 1) : 0;
    for (let i = 0; i < samples.length; i++) {
      const duration = i + 1 < samples.length ? Math.max(0, timeDeltas[i + 1]!) : mean;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + duration / 1000);
    }
    return self;
  }
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const durationMs = profile.endTime !== undefined && profile.startTime !== undefined ? (profile.endTime - profile.startTime) / 1000 : hits;
  for (const node of profile.nodes) self.set(node.id, hits ? ((node.hitCount ?? 0) / hits) * durationMs : 0);
  return self;
}

/** The icicle of a profile (without idle time unless asked): frames in pre-order, children widest first, each starting where its elder sibling ended. */
export function buildFlameGraph(profile: CpuProfile, options: FlameOptions = {}): FlameGraph {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const root = profile.nodes.find((node) => !childIds.has(node.id));
  if (!root) return { frames: [], totalMs: 0, maxDepth: 0 };
  const self = selfTimes(profile);
  if (!options.includeIdle) for (const node of profile.nodes) if (node.callFrame.functionName === IDLE) self.set(node.id, 0);
  const totals = new Map<number, number>();
  // Iterative post-order: deep recursion in a real profile can overflow the stack.
  const order: number[] = [];
  const stack = [root.id];
  const seen = new Set<number>();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    for (const child of byId.get(id)?.children ?? []) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    const children = byId.get(id)?.children ?? [];
    totals.set(id, (self.get(id) ?? 0) + children.reduce((sum, child) => sum + (totals.get(child) ?? 0), 0));
  }

  const frames: Frame[] = [];
  let maxDepth = 0;
  const place = [{ id: root.id, parent: undefined as number | undefined, depth: 0, start: 0 }];
  while (place.length) {
    const { id, parent, depth, start } = place.pop()!;
    const node = byId.get(id)!;
    const total = totals.get(id) ?? 0;
    if (total <= 0 && depth > 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = depth === 0 ? 'all' : functionName || '(anonymous)';
    const index = frames.length;
    frames.push({
      index,
      parent,
      depth,
      name,
      where: whereOf(url, lineNumber),
      url,
      start,
      total,
      self: self.get(id) ?? 0,
      category: depth === 0 ? 'v8' : categoryOf(url, name),
    });
    maxDepth = Math.max(maxDepth, depth);
    const children = [...(node.children ?? [])].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0));
    let offset = start;
    const placed = children.map((child) => {
      const entry = { id: child, parent: index, depth: depth + 1, start: offset };
      offset += totals.get(child) ?? 0;
      return entry;
    });
    // Pushed in reverse so the widest child comes out (and is numbered) first.
    for (let i = placed.length - 1; i >= 0; i--) place.push(placed[i]!);
  }
  return { frames, totalMs: totals.get(root.id) ?? 0, maxDepth };
}

/** Whether a frame's function name or file matches a search, case-insensitively; an empty search matches nothing. */
export function matches(frame: Frame, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return false;
  return frame.name.toLowerCase().includes(needle) || frame.where.toLowerCase().includes(needle);
}

/** Time spent in matching frames, counted once where matches nest (a recursive function), ms. */
export function matchedTime(graph: FlameGraph, search: string): number {
  let sum = 0;
  const counted = new Set<number>();
  for (const frame of graph.frames) {
    if (frame.depth === 0 || !matches(frame, search)) continue;
    if (frame.parent !== undefined && counted.has(frame.parent)) {
      counted.add(frame.index);
      continue;
    }
    // A match under a match is already inside its ancestor's time.
    let ancestor = frame.parent;
    let inside = false;
    while (ancestor !== undefined) {
      if (counted.has(ancestor)) {
        inside = true;
        break;
      }
      ancestor = graph.frames[ancestor]!.parent;
    }
    counted.add(frame.index);
    if (!inside) sum += frame.total;
  }
  return sum;
}

/** A frame and its ancestors, root first. */
export function lineage(graph: FlameGraph, index: number): Frame[] {
  const chain: Frame[] = [];
  let at: number | undefined = index;
  while (at !== undefined) {
    const frame: Frame = graph.frames[at]!;
    chain.unshift(frame);
    at = frame.parent;
  }
  return chain;
}
