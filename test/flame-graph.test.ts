import { describe, expect, it } from 'vitest';
import { buildFlameGraph, lineage, matchedTime, type CpuProfile } from '../src/renderer/memory/flame-graph.js';

const frame = (functionName: string, url = '/app/server.js', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });

/** (root) → main → [work → fib → fib, idle-ish (program)]; samples 1 ms apart. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), hitCount: 0, children: [2, 6] },
    { id: 2, callFrame: frame('main'), hitCount: 1, children: [3] },
    { id: 3, callFrame: frame('work', '/app/node_modules/lib/index.js', 9), hitCount: 2, children: [4] },
    { id: 4, callFrame: frame('fib'), hitCount: 3, children: [5] },
    { id: 5, callFrame: frame('fib'), hitCount: 2, children: [] },
    { id: 6, callFrame: frame('(program)', ''), hitCount: 2, children: [] },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [2, 3, 3, 4, 4, 4, 5, 5, 6, 6],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('a CPU profile as an icicle', () => {
  const graph = buildFlameGraph(profile);

  it('makes each frame as wide as its time and lays children side by side, widest first', () => {
    expect(graph.totalMs).toBe(10);
    expect(graph.maxDepth).toBe(4);
    const [root, main, work, fib, innerFib, program] = graph.frames;
    expect(root).toMatchObject({ name: 'all', depth: 0, start: 0, total: 10 });
    expect(main).toMatchObject({ name: 'main', depth: 1, start: 0, total: 8, self: 1, where: 'server.js:1', category: 'app' });
    expect(work).toMatchObject({ depth: 2, total: 7, self: 2, where: 'index.js:10', category: 'dependency' });
    expect(fib).toMatchObject({ depth: 3, total: 5, self: 3 });
    expect(innerFib).toMatchObject({ depth: 4, start: 0, total: 2 });
    expect(program).toMatchObject({ name: '(program)', depth: 1, start: 8, total: 2, category: 'v8' });
    expect(lineage(graph, innerFib!.index).map((entry) => entry.name)).toEqual(['all', 'main', 'work', 'fib', 'fib']);
  });

  it('leaves idle time out unless asked', () => {
    const idle: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
        { id: 2, callFrame: frame('(idle)', ''), hitCount: 9 },
        { id: 3, callFrame: frame('tick'), hitCount: 1 },
      ],
      startTime: 0,
      endTime: 10_000,
    };
    expect(buildFlameGraph(idle).totalMs).toBeCloseTo(1, 6);
    expect(buildFlameGraph(idle).frames.map((entry) => entry.name)).toEqual(['all', 'tick']);
    expect(buildFlameGraph(idle, { includeIdle: true }).totalMs).toBeCloseTo(10, 6);
  });

  it('counts the time of matching frames once where they nest', () => {
    expect(matchedTime(graph, 'fib')).toBe(5);
    expect(matchedTime(graph, 'INDEX.JS')).toBe(7);
    expect(matchedTime(graph, '  ')).toBe(0);
  });

  it('falls back on hit counts over the profile\'s duration without samples', () => {
    const { samples: _samples, timeDeltas: _deltas, ...hitsOnly } = profile;
    const fromHits = buildFlameGraph(hitsOnly);
    expect(fromHits.totalMs).toBeCloseTo(10, 6);
    expect(fromHits.frames[1]!.total).toBeCloseTo(8, 6);
  });
});
