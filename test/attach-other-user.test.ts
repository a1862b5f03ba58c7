import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

/** The `nobody` user, for a process that is not ours: only root can start one as another user. */
const nobody = readFileSync('/etc/passwd', 'utf8')
  .split('\n')
  .map((line) => line.split(':'))
  .find((fields) => fields[0] === 'nobody');
const asRoot = process.getuid?.() === 0;
const reason = !asRoot ? 'not running as root, so it cannot start a process as another user' : !nobody ? 'there is no "nobody" user' : undefined;
if (reason) console.warn(`attach-other-user: skipped: ${reason}`);

describe.skipIf(reason !== undefined)("another user's process", () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('is listed as not attachable and refused with a permission error, though root could signal it; nothing is sent to it', async () => {
    const uid = Number(nobody![2]);
    const gid = Number(nobody![3]);
    const subject = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { uid, gid });
    const engine = await engines.open(await engines.tempDir());

    const listed = await engine.call('attach.list', {});
    expect(listed).toMatchObject({ uid: 0, user: 'root' });
    expect(listed.processes.find((entry) => entry.pid === subject.pid)).toMatchObject({
      user: 'nobody',
      uid,
      attachable: false,
      reason: 'belongs to nobody; Tunebench attaches only to processes of root',
    });

    const refused = await engine.dispatch('attach.open', { pid: subject.pid });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'TB_ATTACH_FORBIDDEN',
        message: `Process ${subject.pid} belongs to user nobody, and Tunebench runs as root: it attaches only to processes of its own user (running as root changes nothing here: root attaches to its own processes only)`,
      },
    });
    // No SIGUSR1 reached it: no inspector, no "Debugger listening" line.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processListeners(subject.pid)).toEqual([]);
    expect(subject.stderr()).not.toContain('Debugger listening');
    expect(subject.alive()).toBe(true);
  });
});
