import { describe, expect, it } from 'vitest';
import { processListeners } from '../src/main/engine/runtime/node-processes.js';
import { engineFactory } from './fixtures/engine.js';
import { foreignProcesses } from './fixtures/foreign-process.js';

describe('an inspector set to listen beyond the loopback address', () => {
  const engines = engineFactory();
  const start = foreignProcesses();

  it('is refused before any signal (from its --inspect-port or NODE_OPTIONS), so no port opens on all addresses', async () => {
    const flagged = await start(process.execPath, ['--inspect-port=0.0.0.0:0', '-e', 'setInterval(() => {}, 1000)']);
    const viaEnv = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      env: { ...process.env, NODE_OPTIONS: '--inspect-port=0.0.0.0:0' },
    });
    const engine = await engines.open(await engines.tempDir());
    await engine.call('attach.list', {});
    for (const subject of [flagged, viaEnv]) {
      expect(await engine.dispatch('attach.open', { pid: subject.pid })).toEqual({
        ok: false,
        error: {
          code: 'TB_ATTACH_NOT_LOOPBACK',
          message: `The inspector of process ${subject.pid} is set to listen on 0.0.0.0:0 (its --inspect or --inspect-port option, or NODE_OPTIONS), not on a loopback address; Tunebench attaches only through 127.0.0.1 or ::1; nothing was sent to it`,
        },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const subject of [flagged, viaEnv]) {
      expect(processListeners(subject.pid)).toEqual([]);
      expect(subject.alive()).toBe(true);
    }
  });
});
