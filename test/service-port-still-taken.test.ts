import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

/** Something answering on a port, as a previous instance that is still stopping would. */
async function occupy(port: number): Promise<http.Server> {
  const server = http.createServer((_request, response) => response.end('old instance'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe("a service whose port is still answering when it starts", () => {
  const engines = serviceEngines();

  it('waits for an instance that is still stopping to let go of the port, then starts', async () => {
    const dir = await engines.tempDir();
    const file = await writeServicesFile(dir, [
      fixtureService('late', 'ignores-sigterm.mjs', 3993, { ready: { type: 'log', pattern: 'listening', timeoutSec: 10 }, stop: { timeoutSec: 1 } }),
    ]);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const old = await occupy(3993);
    setTimeout(() => old.close(), 1_000).unref();
    const status = await engine.call('services.start', { name: 'late' });
    expect(status.state).toBe('running');
    await engine.call('services.stop', { name: 'late' });
  }, 20_000);

  it('starts nothing and says so when the port stays taken past the stop timeout', async () => {
    const dir = await engines.tempDir();
    const file = await writeServicesFile(dir, [
      fixtureService('blocked', 'ignores-sigterm.mjs', 3994, { ready: { type: 'log', pattern: 'listening', timeoutSec: 10 }, stop: { timeoutSec: 1 } }),
    ]);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const other = await occupy(3994);
    try {
      const started = performance.now();
      await expect(engine.call('services.start', { name: 'blocked' })).rejects.toMatchObject({
        code: 'TB_SERVICE_FAILED',
        message: expect.stringContaining('cannot start: something still answers on 127.0.0.1:3994 after 3 s'),
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(2_900);
      expect(engine.children.list()).toEqual([]);
    } finally {
      other.close();
    }
  }, 20_000);
});
