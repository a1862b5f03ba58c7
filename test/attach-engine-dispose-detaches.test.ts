import { describe, expect, it } from 'vitest';
import { Engine } from '../src/main/engine/engine.js';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

describe('quitting the workbench while attached', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('detaches: the process keeps running and the inspector Tunebench opened is closed', async () => {
    // Port 0: SIGUSR1 opens the inspector on a random port, so no other test's 9229 is in the way.
    const subject = await start(process.execPath, ['--inspect-port=0', '-e', 'setInterval(() => {}, 1000)']);
    const engine = await Engine.create({ dataDir: await engines.tempDir(), workersDir: 'unused', host: 'test' });
    await engine.call('attach.list', {});
    const opened = await engine.call('attach.open', { pid: subject.pid });
    expect(processListeners(subject.pid)).toEqual([expect.objectContaining({ port: opened.port })]);

    await engine.dispose();
    expect(processListeners(subject.pid)).toEqual([]);
    expect(subject.alive()).toBe(true);
  });
});
