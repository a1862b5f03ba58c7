import { describe, expect, it } from 'vitest';
import { alive, exampleServices, groupAlive, processGroupOf, serviceEngines } from './fixtures/services.js';

describe('a load run against a defined service (examples/orders-api on the embedded PostgreSQL)', () => {
  const engines = serviceEngines();

  it("starts it with the run's knob values, records runtime data from the service's own pids, logs its output, stops it gracefully", async () => {
    const { engine } = await engines.open({ servicesFiles: [exampleServices.orders] });
    const { runId } = await engine.call('runs.start', {
      spec: {
        kind: 'load',
        target: { type: 'service', service: 'orders', knobs: { poolMax: 4 }, probeIntervalMs: 200 },
        load: {
          mode: 'closed',
          connections: 8,
          durationSec: 2,
          warmupSec: 0.5,
          mix: [
            { path: '/orders/42', weight: 3 },
            { path: '/customers/7/orders', weight: 1 },
          ],
        },
        sampleIntervalMs: 250,
      },
    });
    // While it runs, the service's process group is one of the engine's children, and its process an inspectable process of the run.
    let group: number | undefined;
    for (let i = 0; i < 200 && group === undefined; i++) {
      group = engine.children.list().find((child) => child.name === 'service orders')?.processGroup;
      if (group === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(group).toBeGreaterThan(0);
    let inspectable: Array<{ id: string; pid: number }> = [];
    for (let i = 0; i < 200 && !inspectable.length; i++) {
      inspectable = (await engine.call('runtime.processes', {})).processes.filter((p) => p.runId === runId);
      if (!inspectable.length) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(inspectable).toHaveLength(1);
    const servicePid = inspectable[0]!.pid;
    expect(inspectable[0]!.id).toBe(`service-orders-${servicePid}`);
    // The service runs in the group the engine owns, below its watchdog.
    expect(processGroupOf(servicePid)).toBe(group);

    const record = (await engine.runs.wait(runId))!;
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('completed');
    // The spec keeps the name and the knob values only; the command is information in the environment.
    expect(record.spec).toMatchObject({ target: { type: 'service', service: 'orders', knobs: { poolMax: 4 } } });
    expect(JSON.stringify(record.spec)).not.toContain('server.mjs');
    const extra = record.environment.extra!;
    expect(JSON.parse(extra.serviceCommand!)).toEqual([expect.stringMatching(/node$/), 'server.mjs']);
    expect(extra.serviceKnobs).toBe('{"poolMax":4}');
    expect(extra.serviceVariables).toContain('PG_POOL_MAX');
    expect(extra.serviceVariables).toContain('DATABASE_URL');
    // The password in DATABASE_URL is never recorded.
    expect(JSON.stringify(record)).not.toMatch(/postgres:\/\/tb_svc_orders:/);
    expect(extra.serviceStop).toBe('graceful');

    // Runtime data from the service's own pid, on the run's time axis.
    const process0 = record.events.find((event) => event.type === 'service-process' && event.data?.index === 0);
    expect(process0?.data?.pid).toBe(servicePid);
    expect(record.events.find((event) => event.type === 'service-ready')?.data?.pid).toBe(servicePid);
    expect(process0?.data?.pid).not.toBe(process.pid);
    expect(extra.servicePids).toBe(`0:${servicePid}`);
    for (const name of ['service.0.heap.old', 'service.0.heapUsed', 'service.0.eldP99', 'service.0.cpu', 'service.0.gc.pauseMs']) {
      expect(record.series[name]?.v.length, name).toBeGreaterThan(3);
    }
    expect(record.summary['service.0.gc.minor.count']!.value).toBeGreaterThan(0);
    expect(record.summary.throughput!.value).toBeGreaterThan(50);
    expect(record.summary.errors!.value).toBe(0);
    expect(record.events.some((event) => event.type === 'service-ready')).toBe(true);
    expect(record.events.some((event) => event.type === 'service-stopped')).toBe(true);

    // Its output: the last lines in the record, all of it as an artifact.
    const lines = record.tables!.serviceLog!.rows.map((row) => String(row[2]));
    expect(lines.some((line) => line.includes('orders-api listening on http://127.0.0.1:3100 (pool max 4)'))).toBe(true);
    expect(lines.some((line) => line.includes('SIGTERM, closing'))).toBe(true);
    const log = record.artifacts.find((artifact) => artifact.kind === 'service-log');
    expect(log?.file).toBe('service-orders.log');
    const { content } = await engine.call('runs.artifact', { runId, file: log!.file });
    expect(content).toMatch(/stdout \| orders-api listening/);

    // Nothing of it is left.
    expect(alive(servicePid)).toBe(false);
    expect(groupAlive(group!)).toBe(false);
    expect(engine.children.list().filter((child) => child.name.startsWith('service '))).toEqual([]);
    expect((await engine.call('runtime.processes', {})).processes.filter((p) => p.runId === runId)).toEqual([]);
  }, 90_000);
});
