import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

/**
 * --disable-sigusr1 came with Node 22.14 / 23.7. On an older Node the same refusal is made by a
 * process that takes SIGUSR1 for itself (a listener of its own), which keeps Node from opening the
 * inspector just the same. The inspector port is 0 (random) so another test attaching on 9229 at
 * the same moment cannot make this one fail for a taken port instead.
 */
const hasFlag = spawnSync(process.execPath, ['--disable-sigusr1', '-e', '0']).status === 0;
const args = hasFlag
  ? ['--disable-sigusr1', '--inspect-port=0', '-e', 'setInterval(() => {}, 1000)']
  : ['--inspect-port=0', '-e', "process.on('SIGUSR1', () => {}); setInterval(() => {}, 1000)"];
if (!hasFlag) console.log(`attach-inspector-disabled: Node ${process.version} has no --disable-sigusr1; the process takes SIGUSR1 itself instead`);

describe('a process whose inspector is disabled', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('is refused with "inspector disabled" after about 3 s, and left running as it was', async () => {
    const subject = await start(process.execPath, args);
    const engine = await engines.open(await engines.tempDir());
    expect((await engine.call('attach.list', {})).processes.find((entry) => entry.pid === subject.pid)).toMatchObject({ attachable: true, inspector: 'closed' });

    const started = Date.now();
    const refused = await engine.dispatch('attach.open', { pid: subject.pid });
    const waited = Date.now() - started;
    expect(refused).toMatchObject({ ok: false, error: { code: 'TB_ATTACH_INSPECTOR_DISABLED' } });
    expect(!refused.ok && refused.error.message).toMatch(new RegExp(`Process ${subject.pid} opened no inspector within 3 s of SIGUSR1: its inspector is disabled`));
    expect(waited).toBeGreaterThanOrEqual(2_900);
    expect(waited).toBeLessThan(6_000);

    expect(subject.alive()).toBe(true);
    expect(processListeners(subject.pid)).toEqual([]);
    expect((await engine.call('runtime.processes', {})).processes.some((entry) => entry.pid === subject.pid)).toBe(false);
  });
});
