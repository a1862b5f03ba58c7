import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TunebenchError } from '../src/shared/errors.js';
import { alive, exampleOnPort, exampleServices, fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

const load = { durationSec: 0.5, warmupSec: 0, mix: [{ path: '/health' }] };

async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  return call.then(
    () => undefined,
    (error: unknown) => (error instanceof TunebenchError ? error.code : String(error)),
  );
}

describe('which service definitions are trusted', () => {
  const engines = serviceEngines();

  it("a folder's services file is only read until the user trusts the folder; the trust is kept by absolute path and can be withdrawn", async () => {
    const repo = await engines.tempDir();
    await exampleOnPort(exampleServices.leaky, 3931, repo);
    const { engine, dataDir } = await engines.open();
    const spec = { kind: 'load', target: { type: 'service', service: 'leaky' }, load };

    // Looking at the file runs nothing and trusts nothing.
    const inspection = await engine.call('services.folder.inspect', { folder: repo });
    expect(inspection).toMatchObject({ folder: repo, exists: true, trusted: false, services: [{ name: 'leaky', command: ['node', 'server.mjs'] }] });
    expect((await engine.call('services.list', {})).services).toEqual([]);
    expect(await codeOf(engine.call('runs.start', { spec }))).toBe('TB_SERVICE_UNKNOWN');
    expect(await codeOf(engine.call('services.start', { name: 'leaky' }))).toBe('TB_SERVICE_UNKNOWN');
    // Only absolute folders; a folder without the file cannot be trusted.
    expect(await codeOf(engine.call('services.folder.trust', { folder: 'relative/dir', trust: true }))).toBe('TB_OPTION_OUT_OF_RANGE');
    expect(await codeOf(engine.call('services.folder.trust', { folder: dataDir, trust: true }))).toBe('TB_SERVICES_FILE');

    const { folders } = await engine.call('services.folder.trust', { folder: repo, trust: true });
    expect(folders).toEqual([expect.objectContaining({ folder: repo, services: ['leaky'] })]);
    const listed = (await engine.call('services.list', {})).services;
    expect(listed).toEqual([expect.objectContaining({ source: { type: 'folder', folder: repo, file: path.join(repo, 'tunebench.services.json') } })]);
    expect(JSON.parse(await fs.readFile(path.join(dataDir, 'trusted-folders.json'), 'utf8')).folders).toEqual([{ folder: repo, trustedAt: expect.any(String) }]);

    // Kept for the next engine on the same data directory; withdrawn, the service is unknown again.
    await engine.dispose();
    const { engine: again } = await engines.open({ dataDir });
    expect((await again.call('services.list', {})).services.map((view) => view.definition.name)).toEqual(['leaky']);
    await again.call('services.folder.trust', { folder: repo, trust: false });
    expect(await codeOf(again.call('runs.start', { spec }))).toBe('TB_SERVICE_UNKNOWN');
  });

  it('definitions saved in the app are kept in the data directory; the command line comes first, then the app, then folders', async () => {
    const cli = await engines.tempDir();
    const file = await writeServicesFile(cli, [fixtureService('api', 'crash-mid-run.mjs', 3932)]);
    const { engine, dataDir } = await engines.open({ servicesFiles: [file] });
    const saved = await engine.call('services.save', { service: { ...fixtureService('api', 'ignores-sigterm.mjs', 3933) } });
    expect(saved.service.ready).toEqual({ type: 'http', path: '/', timeoutSec: 30 });
    await engine.call('services.save', { service: fixtureService('other', 'ignores-sigterm.mjs', 3934) });
    expect(await codeOf(engine.call('services.save', { service: { ...fixtureService('rel', 'x.mjs', 1), directory: 'relative' } }))).toBe('TB_SCHEMA_INVALID');
    const { services } = await engine.call('services.list', {});
    expect(services.map((view) => [view.definition.name, view.source.type, view.shadowedBy?.type])).toEqual([
      ['api', 'command-line', undefined],
      ['api', 'app', 'command-line'],
      ['other', 'app', undefined],
    ]);
    const stored = JSON.parse(await fs.readFile(path.join(dataDir, 'services.json'), 'utf8'));
    expect(stored.services.map((service: { name: string }) => service.name)).toEqual(['api', 'other']);
    await engine.call('services.delete', { name: 'other' });
    expect(await codeOf(engine.call('services.delete', { name: 'other' }))).toBe('TB_SERVICE_UNKNOWN');
  });

  it('a service started by hand is ready when it says so, shows its processes and output, and is gone when stopped', async () => {
    const dir = await engines.tempDir();
    const file = await exampleOnPort(exampleServices.cpuPool, 3935, dir);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const statuses: string[] = [];
    const lines: string[] = [];
    engine.onStream((stream, payload) => {
      if (stream === 'service.status') statuses.push((payload as { state: string }).state);
      if (stream === 'service.log') lines.push(...(payload as { lines: Array<{ line: string }> }).lines.map((line) => line.line));
    });
    const status = await engine.call('services.start', { name: 'cpu-pool', knobs: { threads: 1 } });
    expect(status).toMatchObject({ name: 'cpu-pool', state: 'running', knobs: { threads: 1, processes: 1 } });
    expect(await codeOf(engine.call('services.start', { name: 'cpu-pool' }))).toBe('TB_SERVICE_FAILED');
    const pid = status.pid!;
    for (let i = 0; i < 100 && !(await engine.call('services.list', {})).services[0]!.status!.processes.length; i++) await new Promise((r) => setTimeout(r, 50));
    const running = (await engine.call('services.list', {})).services[0]!.status!;
    expect(running.processes[0]).toMatchObject({ index: 0, pid, processId: `service-cpu-pool-${pid}`, connected: true });
    expect((await engine.call('runtime.processes', {})).processes.some((process) => process.id === `service-cpu-pool-${pid}`)).toBe(true);
    expect((await engine.call('services.log', { name: 'cpu-pool' })).lines.map((line) => line.line)).toContain(
      'cpu-pool listening on http://127.0.0.1:3935 (1 threads)',
    );
    const stopped = await engine.call('services.stop', { name: 'cpu-pool' });
    expect(stopped).toMatchObject({ state: 'stopped', processes: [] });
    expect(stopped.message).toMatch(/^stopped in \d/);
    expect(alive(pid)).toBe(false);
    expect(statuses).toEqual(expect.arrayContaining(['starting', 'running', 'stopping', 'stopped']));
    expect(lines).toContain('cpu-pool listening on http://127.0.0.1:3935 (1 threads)');
    expect(engine.children.list()).toEqual([]);
  });
});
