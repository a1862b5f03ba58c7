import { describe, expect, it } from 'vitest';
import { engineFactory } from './fixtures/engine.js';
import { runToEnd, spinSpec } from './fixtures/experiments.js';

const engines = engineFactory();

describe('HTML report', () => {
  it('is one self-contained file: inline SVG charts, no external URL, no script, print styles', async () => {
    const engine = await engines.open(await engines.tempDir());
    const run = await runToEnd(engine, spinSpec(1, 40));
    const file = await engine.call('report.export', { target: { runId: run.id }, format: 'html' });

    expect(file.fileName).toBe(`tunebench-run-${run.id}.html`);
    expect(file.mimeType).toContain('text/html');
    const html = file.content;
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('@media print');
    // Every recorded series is drawn, related ones (p50/p95/p99) sharing a chart.
    const charts = html.match(/<svg class="chart"/g) ?? [];
    const drawn = Object.entries(run.series).filter(([, s]) => s.t.length > 0);
    expect(charts.length).toBeGreaterThan(3);
    expect(charts.length).toBeLessThanOrEqual(drawn.length);
    const lines = drawn.filter(([, s]) => s.t.length > 1).length;
    const dots = drawn.length - lines;
    expect(html.match(/<path d="M[\d.]+,[\d.]+L/g)?.length ?? 0).toBe(lines);
    expect(html.match(/<circle cx="[\d.]+" cy="[\d.]+" r="3" /g)?.length ?? 0).toBe(dots);
    for (const [name, series] of drawn) expect(html).toContain(series.label ?? name);
    // The spec and the environment fingerprint travel with the report.
    expect(html).toContain('&quot;spin&quot;');
    expect(html).toContain(`Node</td><td>${run.environment.node}`);
    expect(html).toContain(run.environment.cpuModel);
    expect(html).toContain(run.environment.v8);
  });

  it('escapes what it prints from the record', async () => {
    const engine = await engines.open(await engines.tempDir());
    const run = await runToEnd(engine, { ...spinSpec(1, 10), name: '<img src=x onerror=alert(1)>' });
    const { content } = await engine.call('report.export', { target: { runId: run.id }, format: 'html' });
    expect(content).not.toContain('<img');
    expect(content).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
