import { describe, expect, it } from 'vitest';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

describe('a process whose inspector was open before attaching', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('is attached without a signal, and detaching leaves its inspector open', async () => {
    // A random port, so this test never waits for 9229.
    const subject = await start(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)']);
    const until = Date.now() + 5_000;
    while (!subject.stderr().includes('Debugger listening') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const [listener] = processListeners(subject.pid)!;
    expect(listener).toBeDefined();
    const engine = await engines.open(await engines.tempDir());
    await engine.call('attach.list', {});

    const opened = await engine.call('attach.open', { pid: subject.pid });
    expect(opened).toMatchObject({ port: listener!.port, inspectorWasOpen: true });
    const cpu = await engine.call('runtime.cpuProfile', { processId: opened.processId, seconds: 0.3 });
    expect(cpu.top.length).toBeGreaterThan(0);

    expect(await engine.call('attach.close', { pid: subject.pid })).toEqual({ pid: subject.pid, running: true, inspector: 'left-open' });
    expect(processListeners(subject.pid)).toEqual([expect.objectContaining({ port: listener!.port })]);
    expect(subject.alive()).toBe(true);
  });
});
