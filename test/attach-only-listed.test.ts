import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

describe('attaching only to what the list returned', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('refuses a Node process the list has not returned, the workbench itself, a process that has gone, and detaching what is not attached', async () => {
    const engine = await engines.open(await engines.tempDir());
    // Started after the last list: not attachable until listed.
    await engine.call('attach.list', {});
    const later = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    expect(await engine.dispatch('attach.open', { pid: later.pid })).toEqual({
      ok: false,
      error: { code: 'TB_ATTACH_NOT_LISTED', message: `Process ${later.pid} was not in the list of Node.js processes; list them again and attach to one of those` },
    });
    expect(later.stderr()).not.toContain('Debugger listening');

    expect(await engine.dispatch('attach.open', { pid: process.pid })).toMatchObject({
      ok: false,
      error: { code: 'TB_ATTACH_SELF', message: expect.stringContaining('is the workbench itself') },
    });

    // Listed, then gone.
    const gone = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    expect((await engine.call('attach.list', {})).processes.some((entry) => entry.pid === gone.pid)).toBe(true);
    const exited = new Promise((resolve) => gone.child.once('exit', resolve));
    gone.child.kill('SIGKILL');
    await exited;
    expect(await engine.dispatch('attach.open', { pid: gone.pid })).toEqual({
      ok: false,
      error: { code: 'TB_ATTACH_GONE', message: `Process ${gone.pid} is not running any more` },
    });

    expect(await engine.dispatch('attach.close', { pid: later.pid })).toEqual({
      ok: false,
      error: { code: 'TB_NOT_ATTACHED', message: `Process ${later.pid} is not attached` },
    });
    expect(await engine.dispatch('attach.open', { pid: 0 })).toMatchObject({ ok: false, error: { code: 'TB_INVALID_PAYLOAD' } });
  });
});
