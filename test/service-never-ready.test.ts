import { describe, expect, it } from 'vitest';
import { alive, fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

describe('a service that never becomes ready', () => {
  const engines = serviceEngines();

  it('ends the run failed, saying which check it failed, with its last log lines and its log; no process of it is left', async () => {
    const dir = await engines.tempDir();
    const file = await writeServicesFile(dir, [
      fixtureService('never', 'never-ready.mjs', 3911, { ready: { type: 'http', path: '/health', timeoutSec: 1.5 } }),
    ]);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'load', target: { type: 'service', service: 'never' }, load: { durationSec: 1, warmupSec: 0, mix: [{ path: '/' }] } },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('TB_SERVICE_FAILED');
    expect(record.error?.message).toMatch(/^Service "never" was not ready within 1\.5 s: GET \/health did not answer 2xx \(last: ECONNREFUSED\)/);
    // Its last lines, stdout and stderr, are in the message, the record and the log file.
    expect(record.error?.message).toContain('never-ready: booting');
    expect(record.error?.message).toContain('never-ready: waiting for a config server that is not there');
    const lines = record.tables!.serviceLog!.rows;
    // stdout and stderr are two pipes: their lines interleave as they arrive.
    expect(lines.map((row) => `${row[1]} ${row[2]}`).sort()).toEqual([
      'stderr never-ready: waiting for a config server that is not there',
      'stdout never-ready: booting',
      expect.stringMatching(/^stdout never-ready: helper pid \d+$/),
    ]);
    const log = record.artifacts.find((artifact) => artifact.kind === 'service-log')!;
    expect((await engine.call('runs.artifact', { runId, file: log.file })).content).toMatch(/stderr \| never-ready: waiting/);
    // The service and the helper it started are gone, and nothing is listed any more.
    const helper = Number(/helper pid (\d+)/.exec(lines.map((row) => String(row[2])).join('\n'))![1]);
    expect(alive(helper)).toBe(false);
    expect(engine.children.list()).toEqual([]);
    // No measurement was made: the load never started.
    expect(record.summary.requests).toBeUndefined();
  });

  it('a log-line check that never matches says so', async () => {
    const dir = await engines.tempDir();
    const file = await writeServicesFile(dir, [
      fixtureService('never-log', 'never-ready.mjs', 3914, { ready: { type: 'log', pattern: 'listening on \\d+', timeoutSec: 1 } }),
    ]);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'load', target: { type: 'service', service: 'never-log' }, load: { durationSec: 1, warmupSec: 0, mix: [{ path: '/' }] } },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.error?.message).toMatch(/was not ready within 1 s: no output line matched \/listening on \\d\+\//);
    expect(engine.children.list()).toEqual([]);
  });
});
