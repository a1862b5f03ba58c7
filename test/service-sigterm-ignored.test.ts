import { describe, expect, it } from 'vitest';
import { alive, fixtureService, serviceEngines, writeServicesFile } from './fixtures/services.js';

describe('a service that ignores SIGTERM', () => {
  const engines = serviceEngines();

  it('is killed after its stop timeout; the run keeps what it measured and says why the stop was forced, with its last lines', async () => {
    const dir = await engines.tempDir();
    const file = await writeServicesFile(dir, [
      fixtureService('stubborn', 'ignores-sigterm.mjs', 3951, { ready: { type: 'log', pattern: 'listening', timeoutSec: 10 }, stop: { timeoutSec: 0.5 } }),
    ]);
    const { engine } = await engines.open({ servicesFiles: [file] });
    const { runId } = await engine.call('runs.start', {
      spec: { kind: 'load', target: { type: 'service', service: 'stubborn' }, load: { connections: 2, durationSec: 0.8, warmupSec: 0, mix: [{ path: '/' }] } },
    });
    const record = (await engine.runs.wait(runId))!;
    expect(record.status).toBe('completed');
    expect(record.summary.requests!.value).toBeGreaterThan(0);
    const forced = record.events.find((event) => event.type === 'service-stop-forced');
    expect(forced?.message).toMatch(/^service stubborn did not stop within 0\.5 s of SIGTERM; its process group was killed \(SIGKILL\); its last 2 lines:/);
    expect(forced?.message).toContain('ignores-sigterm: SIGTERM? not stopping');
    expect(record.summary['service.stopForced']!.value).toBe(1);
    expect(record.environment.extra!.serviceStop).toBe('killed');
    const pid = Number(record.environment.extra!.servicePids!.split(':')[1]);
    expect(alive(pid)).toBe(false);
    expect(engine.children.list()).toEqual([]);
  });
});
