import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

describe('a process that is not Node.js', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('is not listed, and attaching to it is refused without a signal', async () => {
    const subject = await start('/bin/sleep', ['60']);
    const engine = await engines.open(await engines.tempDir());
    expect((await engine.call('attach.list', {})).processes.some((entry) => entry.pid === subject.pid)).toBe(false);

    const refused = await engine.dispatch('attach.open', { pid: subject.pid });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'TB_ATTACH_NOT_NODE', message: `Process ${subject.pid} (sleep 60) is not a Node.js process; Tunebench attaches only to Node.js processes` },
    });
    // SIGUSR1 would have ended it (its default action): it still runs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(subject.alive()).toBe(true);
  });
});
