import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

describe('attaching to a Node.js process started elsewhere', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('lists it, attaches, takes a CPU profile, an allocation profile and a heap snapshot, and detaches: still running, inspector closed', async () => {
    // Started by the test, not by the engine: a plain node program, its inspector closed.
    const subject = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const dataDir = await engines.tempDir();
    const engine = await engines.open(dataDir);

    const listed = await engine.call('attach.list', {});
    const entry = listed.processes.find((candidate) => candidate.pid === subject.pid);
    expect(entry).toMatchObject({ uid: process.getuid!(), user: listed.user, attachable: true, inspector: 'closed', nodeVersion: process.version });
    expect(entry!.command).toContain('setInterval');
    expect(listed.processes.some((candidate) => candidate.pid === process.pid)).toBe(false);

    const opened = await engine.call('attach.open', { pid: subject.pid });
    expect(opened).toMatchObject({ pid: subject.pid, processId: `attached:${subject.pid}`, inspectorWasOpen: false, nodeVersion: process.version });
    // SIGUSR1 opened it on the loopback address.
    expect(processListeners(subject.pid)).toEqual([expect.objectContaining({ address: '127.0.0.1', port: opened.port })]);
    expect(subject.stderr()).toContain(`Debugger listening on ws://127.0.0.1:${opened.port}/`);

    // It is a runtime subject like any other.
    const { processes } = await engine.call('runtime.processes', {});
    expect(processes.find((candidate) => candidate.id === opened.processId)).toMatchObject({ pid: subject.pid, label: opened.label });
    expect((await engine.call('attach.list', {})).processes.find((candidate) => candidate.pid === subject.pid)).toMatchObject({
      inspector: 'attached',
      inspectorPort: opened.port,
      processId: opened.processId,
    });

    const cpu = await engine.call('runtime.cpuProfile', { processId: opened.processId, seconds: 1 });
    expect(cpu.top.length).toBeGreaterThan(0);
    expect(cpu.samples).toBeGreaterThan(0);
    expect(path.dirname(cpu.path)).toBe(path.join(dataDir, 'runtime'));
    const cpuJson = JSON.parse(await fs.readFile(cpu.path, 'utf8'));
    expect(cpuJson.nodes.length).toBeGreaterThan(0);

    const allocations = await engine.call('runtime.allocationProfile', { processId: opened.processId, seconds: 0.5 });
    expect(JSON.parse(await fs.readFile(allocations.path, 'utf8')).head.callFrame).toBeDefined();

    const snapshot = await engine.call('runtime.heapSnapshot', { processId: opened.processId });
    expect(path.dirname(snapshot.path)).toBe(path.join(dataDir, 'runtime'));
    expect((await fs.stat(snapshot.path)).size).toBe(snapshot.artifact.bytes);
    const heap = JSON.parse(await fs.readFile(snapshot.path, 'utf8'));
    expect(heap.snapshot.meta.node_fields).toContain('self_size');
    expect(snapshot.summary.top.length).toBeGreaterThan(0);

    const closed = await engine.call('attach.close', { pid: subject.pid });
    expect(closed).toEqual({ pid: subject.pid, running: true, inspector: 'closed' });
    // Left as it was: running, no inspector port, not inspectable any more.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subject.alive()).toBe(true);
    expect(processListeners(subject.pid)).toEqual([]);
    expect((await engine.call('runtime.processes', {})).processes.some((candidate) => candidate.id === opened.processId)).toBe(false);
    expect((await engine.call('attach.list', {})).processes.find((candidate) => candidate.pid === subject.pid)).toMatchObject({ inspector: 'closed' });
    await expect(engine.call('runtime.cpuProfile', { processId: opened.processId, seconds: 0.1 })).rejects.toThrow(/No process/);
  });
});
